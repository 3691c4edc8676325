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
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Loads a state dict into a model all or nothing: keys, shapes and the model's tensors are checked
 * first, then every storage that will be copied is read (so a damaged file fails before any copy),
 * and only then is anything copied. A strict load that fails, for any reason the checks can see,
 * leaves every weight as it was.
 */
final class StateDictLoader {

  private StateDictLoader() {}

  /** {@link StateDict#load(Module, Path, LoadOptions)}. */
  @SuppressWarnings("try") // the PointerScope works by being open, never named
  static LoadResult load(Module model, Path file, LoadOptions options) throws IOException {
    // The scope frees the staged tensors and the model's dicts when the load returns, not at GC.
    try (PointerScope scope = new PointerScope();
        CheckpointFile checkpoint = CheckpointFile.open(file)) {
      StateDictTargets targets = new StateDictTargets(model);
      Map<String, TensorRef> refs =
          stripPrefix(checkpoint.stateDict(options.entry().orElse(null)), options, targets);
      LoadResult result = match(targets, refs, ref -> ref.shape(), (key, ref) -> null);
      if (options.mode() == LoadMode.STRICT && !result.isExact()) {
        throw new StateDictMismatchException(modelName(model), result);
      }
      copy(checkpoint, result.loadedKeys(), refs, targets, options);
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
      StateDictTargets targets,
      LoadOptions options)
      throws IOException {
    Map<Storage, Integer> uses = new IdentityHashMap<>();
    keys.forEach(key -> uses.merge(refs.get(key).storage(), 1, Integer::sum));
    List<String> direct = new ArrayList<>();
    for (String key : keys) {
      if (CheckpointFile.canReadInto(refs.get(key), targets.find(key), uses)) {
        direct.add(key);
      }
    }
    // Model tensors that share memory (a tensor registered under two names) are copied in order,
    // as copy_ would, never read into at once by two threads.
    direct.removeAll(sharingMemory(direct, targets));
    Set<String> copied = new HashSet<>(direct);
    List<TensorRef> staged =
        keys.stream().filter(key -> !copied.contains(key)).map(refs::get).toList();
    int threads = options.threads().orElseGet(torch::get_num_threads);
    checkpoint.verify(direct.stream().map(key -> refs.get(key).storage()).toList(), threads);
    Map<TensorRef, Tensor> read = checkpoint.tensors(staged);
    AtomicInteger loaded = new AtomicInteger();
    try {
      checkpoint.readInto(
          direct.stream().map(refs::get).toList(),
          direct.stream().map(targets::find).toList(),
          threads,
          loaded);
    } catch (IOException e) {
      throw new StateDictFormatException(
          checkpoint.file(),
          "the file changed or failed while it loaded, after every check had passed: "
              + e.getMessage()
              + "; "
              + loaded.get()
              + " of "
              + keys.size()
              + " tensors were loaded, load it again");
    }
    Map<String, Tensor> sources = new LinkedHashMap<>();
    for (String key : keys) {
      if (!copied.contains(key)) {
        sources.put(key, read.get(refs.get(key)));
      }
    }
    copy(targets, sources);
  }

  /** The keys whose model tensor's memory overlaps another's. */
  static Set<String> sharingMemory(List<String> keys, StateDictTargets targets) {
    record Span(String key, long start, long end) {}
    List<Span> spans = new ArrayList<>();
    for (String key : keys) {
      Tensor target = targets.find(key);
      long start = target.data_ptr().address();
      if (target.nbytes() > 0) {
        spans.add(new Span(key, start, start + target.nbytes()));
      }
    }
    spans.sort(Comparator.comparingLong(Span::start));
    Set<String> sharing = new HashSet<>();
    List<Span> cluster = new ArrayList<>(); // spans that overlap, one after another
    long end = Long.MIN_VALUE;
    for (Span span : spans) {
      if (span.start() >= end) {
        if (cluster.size() > 1) {
          cluster.forEach(c -> sharing.add(c.key()));
        }
        cluster.clear();
      }
      cluster.add(span);
      end = Math.max(end, span.end());
    }
    if (cluster.size() > 1) {
      cluster.forEach(c -> sharing.add(c.key()));
    }
    return sharing;
  }

  /** {@link StateDict#load(Module, Map, LoadMode)}. */
  @SuppressWarnings("try") // the PointerScope works by being open, never named
  static LoadResult load(Module model, Map<String, Tensor> stateDict, LoadMode mode) {
    stateDict.forEach(StateDict::checkDefined);
    try (PointerScope scope = new PointerScope()) {
      StateDictTargets targets = new StateDictTargets(model);
      LoadResult result =
          match(targets, stateDict, StateDictLoader::shape, StateDictLoader::unloadableSource);
      if (mode == LoadMode.STRICT && !result.isExact()) {
        throw new StateDictMismatchException(modelName(model), result);
      }
      Map<String, Tensor> sources = new LinkedHashMap<>();
      result.loadedKeys().forEach(key -> sources.put(key, stateDict.get(key)));
      copy(targets, sources);
      return result;
    }
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
      StateDictTargets targets,
      Map<String, T> stateDict,
      Function<T, long[]> shapeOf,
      SourceCheck<T> sourceCheck) {
    List<String> loaded = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<LoadResult.SizeMismatch> mismatches = new ArrayList<>();
    List<LoadResult.Unloadable> unloadable = new ArrayList<>();
    stateDict.forEach(
        (key, source) -> {
          Tensor target = targets.find(key);
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
    // Every key of the model was found: none is missing, and the keys need not be listed.
    long found = loaded.size() + mismatches.size() + unloadable.size();
    List<String> missing = found == targets.size() ? List.of() : targets.missingFrom(stateDict);
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
  @SuppressWarnings("try") // the NoGradGuard works by being open, never named
  private static void copy(StateDictTargets targets, Map<String, Tensor> sources) {
    try (NoGradGuard noGrad = new NoGradGuard()) {
      for (Map.Entry<String, Tensor> e : sources.entrySet()) {
        try {
          targets.find(e.getKey()).copy_(e.getValue());
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
      Map<String, TensorRef> refs, LoadOptions options, StateDictTargets targets) {
    String prefix = options.prefix().orElse(null);
    if (prefix == null) {
      String dp = LoadOptions.DATA_PARALLEL_PREFIX;
      boolean all = !refs.isEmpty() && refs.keySet().stream().allMatch(k -> k.startsWith(dp));
      prefix = all && !targets.anyKeyStartsWith(dp) ? dp : "";
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
