package dev.featurex.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringSharedModuleDict;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.StringTensorDictItem;
import org.bytedeco.pytorch.Tensor;

/**
 * Moves a model's weights between Java and Python: PyTorch's {@code state_dict} / {@code
 * load_state_dict} for JavaCPP modules, stored in the files of Python's {@code torch.save}.
 *
 * <p>A state dict maps each parameter's and buffer's qualified name ({@code layer1.0.bn1.weight},
 * {@code layer1.0.bn1.running_mean}, {@code layer1.0.bn1.num_batches_tracked}) to its tensor, in
 * PyTorch's order: module by module in pre-order, each module's parameters and then its buffers.
 *
 * <pre>{@code
 * # Python
 * torch.save(dict(model.state_dict()), "resnet18.pt")
 *
 * // Java
 * StateDict.load(model, Path.of("resnet18.pt"));                  // strict, like load_state_dict
 * LoadResult r = StateDict.load(model, file, LoadMode.NON_STRICT); // copies what fits
 * StateDict.save(model, Path.of("tuned.pt"));
 * }</pre>
 *
 * <h2>The file format, as measured with libtorch 2.10 (the presets) and Python torch 1.13.1</h2>
 *
 * <ul>
 *   <li><b>Reading</b> uses libtorch's {@code pickle_load}. It reads the zip archives that {@code
 *       torch.save} writes by default since PyTorch 1.6 (files from torch 1.13 load), holding a
 *       plain {@code dict} of tensors. It cannot read an {@code OrderedDict}, which is what {@code
 *       model.state_dict()} returns: save {@code dict(model.state_dict())}. Nor does it read the
 *       legacy format ({@code _use_new_zipfile_serialization=False}). Both get a {@link
 *       StateDictFormatException} that says so. Files up to 2 GiB: {@code pickle_load} reads from
 *       memory.
 *   <li><b>Writing</b> uses libtorch's {@code pickle_save}, which writes the same zip format
 *       ({@code archive/data.pkl}, one {@code archive/data/<n>} record per tensor, {@code
 *       archive/version}, {@code archive/byteorder}). It wraps the dict in {@code
 *       torch.jit._pickle.restore_type_tag(dict, "Dict[str, Tensor]")}, which Python's {@code
 *       torch.load} resolves to a plain {@code dict} when {@code weights_only=False} (the default
 *       up to PyTorch 2.5). The weights-only unpickler does not allow that function: in PyTorch 2.6
 *       and later, where {@code weights_only=True} is the default, load a file you trust with
 *       {@code torch.load(path, weights_only=False)} or allowlist the function first with {@code
 *       torch.serialization.add_safe_globals([torch.jit._pickle.restore_type_tag])}.
 *   <li>Tensors are saved detached, as {@code state_dict()} returns them, and with their dtype;
 *       loading copies with {@code copy_}, which converts the dtype if the model's differs.
 * </ul>
 *
 * <p>Every method is static; the model is only read, except by {@code load}, which copies into its
 * parameters and buffers without recording autograd history.
 */
public final class StateDict {

  private StateDict() {}

  /**
   * Loads the state dict in {@code file} into {@code model} {@linkplain LoadMode#STRICT strictly},
   * as PyTorch's {@code model.load_state_dict(torch.load(file))}.
   *
   * @return the keys that were loaded (all of them)
   * @throws StateDictMismatchException if keys are missing, unexpected or of another shape, listing
   *     them all; nothing is copied
   * @throws StateDictFormatException if the file is not a {@code torch.save} dict of tensors
   * @throws IOException if the file cannot be read, such as {@link
   *     java.nio.file.NoSuchFileException}
   */
  public static LoadResult load(Module model, Path file) throws IOException {
    return load(model, file, LoadMode.STRICT);
  }

  /**
   * Loads the state dict in {@code file} into {@code model} with the rules of {@code mode}.
   *
   * @return what was loaded and, for {@link LoadMode#NON_STRICT}, what was not
   * @throws StateDictMismatchException in {@link LoadMode#STRICT} mode, if the file does not fit
   *     the model; nothing is copied
   * @throws StateDictFormatException if the file is not a {@code torch.save} dict of tensors
   * @throws IOException if the file cannot be read
   */
  public static LoadResult load(Module model, Path file, LoadMode mode) throws IOException {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(mode, "mode");
    return load(model, read(file), mode);
  }

  /**
   * Copies the tensors of {@code stateDict} into the parameters and buffers of {@code model} that
   * have the same qualified names, with the rules of {@code mode}; for state dicts built in Java or
   * read with {@link #read}.
   *
   * @return what was loaded and, for {@link LoadMode#NON_STRICT}, what was not
   * @throws StateDictMismatchException in {@link LoadMode#STRICT} mode, if {@code stateDict} does
   *     not fit the model; nothing is copied
   * @throws IllegalArgumentException if a tensor for a key of the model is undefined, or libtorch
   *     cannot copy it (the tensors before it have been copied)
   */
  public static LoadResult load(Module model, Map<String, Tensor> stateDict, LoadMode mode) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(stateDict, "stateDict");
    Objects.requireNonNull(mode, "mode");
    Map<String, Tensor> targets = of(model);
    LoadResult result = match(targets, stateDict);
    if (mode == LoadMode.STRICT && !result.isExact()) {
      throw new StateDictMismatchException(modelName(model), result);
    }
    try (NoGradGuard noGrad = new NoGradGuard()) {
      for (String key : result.loadedKeys()) {
        copy(key, targets.get(key), stateDict.get(key));
      }
    }
    return result;
  }

  /**
   * Reads the state dict in {@code file} without a model: each key and its tensor, in the file's
   * order, detached from autograd. The map cannot be modified.
   *
   * @throws StateDictFormatException if the file is not a {@code torch.save} dict of tensors
   * @throws IOException if the file cannot be read, such as {@link
   *     java.nio.file.NoSuchFileException}
   */
  public static Map<String, Tensor> read(Path file) throws IOException {
    return TorchSaveFormat.read(Objects.requireNonNull(file, "file"));
  }

  /**
   * Saves the state dict of {@code model} to {@code file}, replacing it, in the format that {@link
   * #load} reads and Python's {@code torch.load} reads (see the class comment for {@code
   * weights_only}).
   *
   * @throws IOException if the file cannot be written
   */
  public static void save(Module model, Path file) throws IOException {
    write(of(Objects.requireNonNull(model, "model")), file);
  }

  /**
   * Saves {@code stateDict}, in its iteration order, to {@code file}, replacing it, as {@link
   * #save} does for a model.
   *
   * @throws IllegalArgumentException if a tensor is undefined
   * @throws IOException if the file cannot be written
   */
  public static void write(Map<String, Tensor> stateDict, Path file) throws IOException {
    Objects.requireNonNull(stateDict, "stateDict");
    stateDict.forEach(StateDict::checkDefined);
    TorchSaveFormat.write(stateDict, Objects.requireNonNull(file, "file"));
  }

  /**
   * The state dict of {@code model}, like PyTorch's {@code model.state_dict()}: every parameter and
   * buffer by qualified name, in PyTorch's order, sharing storage with the model (a change to the
   * model shows in the tensors). The map cannot be modified.
   */
  public static Map<String, Tensor> of(Module model) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    StringSharedModuleDict modules = model.named_modules();
    for (long i = 0; i < modules.size(); i++) {
      String name = string(modules.keys().get(i));
      Module module = modules.get(i).value();
      String prefix = name.isEmpty() ? "" : name + ".";
      addAll(tensors, prefix, module.named_parameters(false));
      addAll(tensors, prefix, module.named_buffers(false));
    }
    return Collections.unmodifiableMap(tensors);
  }

  private static void addAll(Map<String, Tensor> tensors, String prefix, StringTensorDict named) {
    for (long i = 0; i < named.size(); i++) {
      StringTensorDictItem item = named.get(i);
      // The item refers into a temporary dict: hold the tensor by a handle of our own.
      tensors.put(prefix + string(item.key()), new Tensor(item.value()));
    }
  }

  /**
   * Sorts the keys of {@code stateDict} into loaded, unexpected and mismatched, and finds the
   * missing.
   */
  private static LoadResult match(Map<String, Tensor> targets, Map<String, Tensor> stateDict) {
    List<String> loaded = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<LoadResult.SizeMismatch> mismatches = new ArrayList<>();
    stateDict.forEach(
        (key, source) -> {
          Tensor target = targets.get(key);
          if (target == null) {
            unexpected.add(key);
            return;
          }
          checkDefined(key, source);
          long[] sourceShape = shape(source);
          long[] targetShape = shape(target);
          if (Arrays.equals(sourceShape, targetShape)) {
            loaded.add(key);
          } else {
            mismatches.add(
                new LoadResult.SizeMismatch(key, boxed(sourceShape), boxed(targetShape)));
          }
        });
    List<String> missing =
        targets.keySet().stream().filter(key -> !stateDict.containsKey(key)).toList();
    return new LoadResult(loaded, missing, unexpected, mismatches);
  }

  private static void checkDefined(String key, Tensor tensor) {
    Objects.requireNonNull(tensor, () -> "the tensor for \"" + key + "\" is null");
    if (!tensor.defined()) {
      throw new IllegalArgumentException("the tensor for \"" + key + "\" is undefined");
    }
  }

  private static void copy(String key, Tensor target, Tensor source) {
    try {
      target.copy_(source);
    } catch (RuntimeException e) {
      String message =
          e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      throw new IllegalArgumentException(
          "cannot copy \"" + key + "\" into the model: " + message, e);
    }
  }

  /**
   * The name PyTorch would print: the Java class's simple name, or libtorch's for built-in modules
   * ({@code torch::nn::LinearImpl}).
   */
  private static String modelName(Module model) {
    Class<?> type = model.getClass();
    if (type.getPackageName().startsWith("org.bytedeco.")) {
      return string(model.name());
    }
    return type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName();
  }

  private static long[] shape(Tensor tensor) {
    return tensor.sizes().vec().get();
  }

  private static List<Long> boxed(long[] shape) {
    return Arrays.stream(shape).boxed().toList();
  }

  /** The presets return null for an empty {@code std::string} (the root module's name). */
  private static String string(BytePointer pointer) {
    return pointer == null ? "" : pointer.getString(StandardCharsets.UTF_8);
  }
}
