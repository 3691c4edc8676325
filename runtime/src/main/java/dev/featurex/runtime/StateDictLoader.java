package dev.featurex.runtime;

import dev.featurex.runtime.weights.CheckpointFile;
import dev.featurex.runtime.weights.DType;
import dev.featurex.runtime.weights.Storage;
import dev.featurex.runtime.weights.TensorRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * Loads a state dict into a model all or nothing: keys, shapes and the model's tensors are checked
 * first, then every storage that will be copied is read (so a damaged file fails before any copy),
 * and only then is anything copied. A strict load that fails, for any reason the checks can see,
 * leaves every weight as it was.
 */
final class StateDictLoader {

  private StateDictLoader() {}

  /** {@link StateDict#load(Module, Path, LoadOptions)}. */
  static LoadResult load(Module model, Path file, LoadOptions options) throws IOException {
    // The scope frees the staged tensors (the whole checkpoint) when the load returns, not at GC.
    try (PointerScope scope = new PointerScope();
        CheckpointFile checkpoint = CheckpointFile.open(file)) {
      Map<String, Tensor> targets = StateDict.lookup(model);
      Map<String, TensorRef> refs =
          stripPrefix(checkpoint.stateDict(options.entry().orElse(null)), options, targets);
      LoadResult result = match(model, targets, refs, ref -> ref.shape(), (key, ref) -> null);
      if (options.mode() == LoadMode.STRICT && !result.isExact()) {
        throw new StateDictMismatchException(modelName(model), result);
      }
      copy(checkpoint, result.loadedKeys(), refs, targets);
      return result;
    }
  }

  /**
   * Copies the file's tensors for {@code keys} into the model, all or nothing as far as the file's
   * contents go. Tensors stored as the model holds them are read straight into the model's memory
   * after their bytes passed their CRC-32 ({@link CheckpointFile#verify}): no staging memory, one
   * read. The others are read into new tensors first (checked the same way) and copied with {@code
   * copy_}, which converts dtypes. Everything that can fail on the file's account fails before the
   * first write; only a file changed by another process during the load, or a failing disk, can
   * stop it half-way, and the error then says so.
   */
  private static void copy(
      CheckpointFile checkpoint,
      List<String> keys,
      Map<String, TensorRef> refs,
      Map<String, Tensor> targets)
      throws IOException {
    Map<Storage, Integer> uses = new IdentityHashMap<>();
    keys.forEach(key -> uses.merge(refs.get(key).storage(), 1, Integer::sum));
    List<String> direct = new ArrayList<>();
    List<TensorRef> staged = new ArrayList<>();
    for (String key : keys) {
      if (CheckpointFile.canReadInto(refs.get(key), targets.get(key), uses)) {
        direct.add(key);
      } else {
        staged.add(refs.get(key));
      }
    }
    checkpoint.verify(direct.stream().map(key -> refs.get(key).storage()).toList());
    Map<TensorRef, Tensor> read = checkpoint.tensors(staged);
    int done = 0;
    try (NoGradGuard noGrad = new NoGradGuard()) {
      for (String key : direct) {
        checkpoint.readInto(refs.get(key), targets.get(key));
        done++;
      }
    } catch (IOException e) {
      throw new StateDictFormatException(
          checkpoint.file(),
          "the file changed or failed while it loaded, after every check had passed: "
              + e.getMessage()
              + "; "
              + done
              + " of "
              + keys.size()
              + " tensors were loaded, load it again");
    }
    Set<String> copied = new HashSet<>(direct);
    Map<String, Tensor> sources = new LinkedHashMap<>();
    for (String key : keys) {
      if (!copied.contains(key)) {
        sources.put(key, read.get(refs.get(key)));
      }
    }
    copy(targets, sources);
  }

  /** {@link StateDict#load(Module, Map, LoadMode)}. */
  static LoadResult load(Module model, Map<String, Tensor> stateDict, LoadMode mode) {
    Map<String, Tensor> targets = StateDict.lookup(model);
    stateDict.forEach(StateDict::checkDefined);
    LoadResult result =
        match(model, targets, stateDict, StateDictLoader::shape, StateDictLoader::unloadableSource);
    if (mode == LoadMode.STRICT && !result.isExact()) {
      throw new StateDictMismatchException(modelName(model), result);
    }
    Map<String, Tensor> sources = new LinkedHashMap<>();
    result.loadedKeys().forEach(key -> sources.put(key, stateDict.get(key)));
    copy(targets, sources);
    return result;
  }

  /** A source-side check: why {@code source} cannot be copied, or null. */
  private interface SourceCheck<T> {
    String problem(String key, T source);
  }

  /**
   * Sorts the keys of the state dict into loaded, unexpected, mismatched and unloadable, and finds
   * the missing.
   */
  private static <T> LoadResult match(
      Module model,
      Map<String, Tensor> targets,
      Map<String, T> stateDict,
      Function<T, long[]> shapeOf,
      SourceCheck<T> sourceCheck) {
    List<String> loaded = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<LoadResult.SizeMismatch> mismatches = new ArrayList<>();
    List<LoadResult.Unloadable> unloadable = new ArrayList<>();
    stateDict.forEach(
        (key, source) -> {
          Tensor target = targets.get(key);
          if (target == null) {
            unexpected.add(key);
            return;
          }
          long[] sourceShape = shapeOf.apply(source);
          long[] targetShape = shape(target);
          String problem = unloadableTarget(target);
          problem = problem != null ? problem : sourceCheck.problem(key, source);
          if (!Arrays.equals(sourceShape, targetShape)) {
            mismatches.add(
                new LoadResult.SizeMismatch(key, boxed(sourceShape), boxed(targetShape)));
          } else if (problem != null) {
            unloadable.add(new LoadResult.Unloadable(key, problem));
          } else {
            loaded.add(key);
          }
        });
    // In the model's order, PyTorch's, which the lookup map does not keep.
    List<String> missing =
        stateDict.keySet().containsAll(targets.keySet())
            ? List.of()
            : StateDict.of(model).keySet().stream().filter(k -> !stateDict.containsKey(k)).toList();
    return new LoadResult(loaded, missing, unexpected, mismatches, unloadable);
  }

  /** Why the model's {@code target} cannot receive a copy, or null when it can. */
  private static String unloadableTarget(Tensor target) {
    String kind = kind(target);
    if (kind != null) {
      return "the model's tensor is "
          + kind
          + "; featurex copies only into dense tensors"
          + " (dequantize or densify the model, or load with LoadMode.NON_STRICT to skip it)";
    }
    if (DType.of(target.scalar_type()).isEmpty()) {
      return "the model's tensor has dtype "
          + target.scalar_type()
          + ", which featurex does not load"
          + " into (it loads "
          + Arrays.toString(DType.values())
          + "; load with LoadMode.NON_STRICT"
          + " to skip it)";
    }
    return null;
  }

  private static String unloadableSource(String key, Tensor source) {
    String kind = kind(source);
    if (kind != null) {
      return "the given tensor is " + kind + "; give a dense tensor";
    }
    if (DType.of(source.scalar_type()).isEmpty()) {
      return "the given tensor has dtype "
          + source.scalar_type()
          + "; give one of "
          + Arrays.toString(DType.values());
    }
    return null;
  }

  private static String kind(Tensor t) {
    if (t.is_quantized()) {
      return "quantized (" + t.scalar_type() + ")";
    } else if (t.is_sparse()) {
      return "sparse";
    } else if (t.is_mkldnn()) {
      return "an mkldnn tensor";
    } else if (t.is_nested()) {
      return "nested";
    } else if (t.is_meta()) {
      return "on the meta device (it has no memory)";
    }
    return null;
  }

  /**
   * Copies every source into its target. The checks before guarantee that libtorch's {@code copy_}
   * accepts each pair (dense, same shape, supported dtypes), so this cannot stop half-way over
   * anything a file or a model can cause.
   */
  private static void copy(Map<String, Tensor> targets, Map<String, Tensor> sources) {
    try (NoGradGuard noGrad = new NoGradGuard()) {
      for (Map.Entry<String, Tensor> e : sources.entrySet()) {
        try {
          targets.get(e.getKey()).copy_(e.getValue());
        } catch (RuntimeException ex) {
          throw new IllegalStateException(
              "libtorch refused to copy \""
                  + e.getKey()
                  + "\" after featurex's checks passed; the"
                  + " keys before it were loaded. Please report this with the model and the file.",
              ex);
        }
      }
    }
  }

  /**
   * Removes the named prefix, or {@code module.} when every key of the file has it and no key of
   * the model does.
   */
  private static Map<String, TensorRef> stripPrefix(
      Map<String, TensorRef> refs, LoadOptions options, Map<String, Tensor> targets) {
    String prefix = options.prefix().orElse(null);
    if (prefix == null) {
      String dp = LoadOptions.DATA_PARALLEL_PREFIX;
      boolean all = !refs.isEmpty() && refs.keySet().stream().allMatch(k -> k.startsWith(dp));
      boolean modelHasIt = targets.keySet().stream().anyMatch(k -> k.startsWith(dp));
      prefix = all && !modelHasIt ? dp : "";
    }
    return StateDict.stripPrefix(refs, prefix);
  }

  /** The sizes, by primitive calls: {@code sizes().vec()} would allocate a native vector. */
  static long[] shape(Tensor tensor) {
    long[] shape = new long[(int) tensor.dim()];
    for (int d = 0; d < shape.length; d++) {
      shape[d] = tensor.size(d);
    }
    return shape;
  }

  private static List<Long> boxed(long[] shape) {
    return Arrays.stream(shape).boxed().toList();
  }

  /**
   * The name PyTorch would print: the Java class's simple name, or libtorch's for built-in modules
   * ({@code torch::nn::LinearImpl}).
   */
  static String modelName(Module model) {
    Class<?> type = model.getClass();
    if (type.getPackageName().startsWith("org.bytedeco.")) {
      BytePointer name = model.name();
      return name == null ? "" : name.getString(StandardCharsets.UTF_8);
    }
    return type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName();
  }
}
