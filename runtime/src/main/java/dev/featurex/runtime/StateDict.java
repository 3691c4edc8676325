package dev.featurex.runtime;

import dev.featurex.runtime.weights.CheckpointFile;
import dev.featurex.runtime.weights.CheckpointWriter;
import dev.featurex.runtime.weights.TensorRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.StringSharedModuleDict;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.StringTensorDictItem;
import org.bytedeco.pytorch.StringVector;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * Moves a model's weights between Java and checkpoint files: PyTorch's {@code state_dict} / {@code
 * load_state_dict} for JavaCPP modules, read and written in pure Java, no Python needed.
 *
 * <p>A state dict maps each parameter's and buffer's qualified name ({@code layer1.0.bn1.weight},
 * {@code layer1.0.bn1.running_mean}, {@code layer1.0.bn1.num_batches_tracked}) to its tensor, in
 * PyTorch's order: module by module in pre-order, each module's parameters and then its buffers.
 *
 * <pre>{@code
 * StateDict.load(model, Path.of("resnet50-0676ba61.pth"));          // torchvision's weights, strict
 * LoadResult r = StateDict.load(model, file, LoadMode.NON_STRICT);  // copies what fits
 * StateDict.load(model, file, LoadOptions.strict().withEntry("ema")); // a training checkpoint
 * StateDict.save(model, Path.of("tuned.safetensors"));               // or tuned.pt: torch.load reads it
 * }</pre>
 *
 * <p><b>Formats</b> ({@link CheckpointFormat}), recognised from the file's first bytes: the zip
 * archive of {@code torch.save} (PyTorch 1.6 and later), its legacy format, and safetensors. A file
 * may hold a state dict ({@code dict} or {@code OrderedDict} of tensors) or a training checkpoint
 * whose {@code state_dict}, {@code model_state_dict} or {@code model} entry holds one (see {@link
 * LoadOptions}); the {@code module.} prefix of {@code DataParallel} is removed when the model lacks
 * it.
 *
 * <p><b>Safety</b>, as {@code torch.load(weights_only=True)}: the pickle reader builds only
 * tensors, storages, dicts, lists and atoms; any other global is refused with its name. Every size
 * is checked against the file before memory is allocated, no read leaves its record, and a damaged
 * file is a {@link StateDictFormatException} naming the file and the problem. See {@code
 * docs/checkpoints.md}.
 *
 * <p><b>All or nothing</b>: a load checks keys, shapes and the model's tensors, then reads every
 * storage it will copy, and only then copies; a strict load that fails changes no weight.
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
   * @throws StateDictMismatchException if keys are missing, unexpected, of another shape or cannot
   *     be copied, listing them all; nothing is copied
   * @throws StateDictFormatException if the file is not a checkpoint featurex reads, or is damaged
   * @throws IOException if the file cannot be read, such as {@link
   *     java.nio.file.NoSuchFileException}
   */
  public static LoadResult load(Module model, Path file) throws IOException {
    return load(model, file, LoadOptions.strict());
  }

  /**
   * Loads the state dict in {@code file} into {@code model} with the rules of {@code mode}.
   *
   * @return what was loaded and, for {@link LoadMode#NON_STRICT}, what was not
   * @throws StateDictMismatchException in {@link LoadMode#STRICT} mode, if the file does not fit
   *     the model; nothing is copied
   * @throws StateDictFormatException if the file is not a checkpoint featurex reads, or is damaged
   * @throws IOException if the file cannot be read
   */
  public static LoadResult load(Module model, Path file, LoadMode mode) throws IOException {
    return load(model, file, LoadOptions.strict().withMode(Objects.requireNonNull(mode, "mode")));
  }

  /**
   * Loads the state dict in {@code file} into {@code model} with {@code options}: the mode, the
   * entry of a training checkpoint, the prefix to remove.
   *
   * @return what was loaded and, for {@link LoadMode#NON_STRICT}, what was not
   * @throws StateDictMismatchException in {@link LoadMode#STRICT} mode, if the file does not fit
   *     the model; nothing is copied
   * @throws StateDictFormatException if the file is not a checkpoint featurex reads, is damaged, or
   *     holds a training checkpoint whose state dict cannot be told
   * @throws IOException if the file cannot be read
   */
  public static LoadResult load(Module model, Path file, LoadOptions options) throws IOException {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(file, "file");
    return StateDictLoader.load(model, file, Objects.requireNonNull(options, "options"));
  }

  /**
   * Copies the tensors of {@code stateDict} into the parameters and buffers of {@code model} that
   * have the same qualified names, with the rules of {@code mode}; for state dicts built in Java or
   * read with {@link #read}. All or nothing as the file loads are.
   *
   * @return what was loaded and, for {@link LoadMode#NON_STRICT}, what was not
   * @throws StateDictMismatchException in {@link LoadMode#STRICT} mode, if {@code stateDict} does
   *     not fit the model; nothing is copied
   * @throws IllegalArgumentException if a tensor of {@code stateDict} is null or undefined
   */
  public static LoadResult load(Module model, Map<String, Tensor> stateDict, LoadMode mode) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(stateDict, "stateDict");
    return StateDictLoader.load(model, stateDict, Objects.requireNonNull(mode, "mode"));
  }

  /**
   * Reads the state dict in {@code file} without a model: each key and its tensor, in the file's
   * order (for safetensors, the order of the data), detached, on the CPU. Tensors that share a
   * storage in the file share it here. The map cannot be modified.
   *
   * @throws StateDictFormatException if the file is not a checkpoint featurex reads, or is damaged
   * @throws IOException if the file cannot be read, such as {@link
   *     java.nio.file.NoSuchFileException}
   */
  public static Map<String, Tensor> read(Path file) throws IOException {
    return read(file, LoadOptions.strict());
  }

  /**
   * Reads the state dict in {@code file} with the {@link LoadOptions#entry() entry} and {@link
   * LoadOptions#prefix() prefix} of {@code options} (the {@code module.} prefix is removed only
   * when named: without a model there is nothing to compare with).
   *
   * @throws StateDictFormatException if the file is not a checkpoint featurex reads, or is damaged
   * @throws IOException if the file cannot be read
   */
  public static Map<String, Tensor> read(Path file, LoadOptions options) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(options, "options");
    try (CheckpointFile checkpoint = CheckpointFile.open(file)) {
      Map<String, TensorRef> refs =
          stripPrefix(
              checkpoint.stateDict(options.entry().orElse(null)), options.prefix().orElse(""));
      Map<TensorRef, Tensor> tensors = checkpoint.tensors(refs.values());
      Map<String, Tensor> out = new LinkedHashMap<>();
      refs.forEach((key, ref) -> out.put(key, tensors.get(ref)));
      return Collections.unmodifiableMap(out);
    }
  }

  /**
   * The format of {@code file}, from its first bytes.
   *
   * @throws StateDictFormatException if it is none of the {@link CheckpointFormat}s
   * @throws IOException if the file cannot be read
   */
  public static CheckpointFormat formatOf(Path file) throws IOException {
    try (CheckpointFile checkpoint = CheckpointFile.open(Objects.requireNonNull(file, "file"))) {
      return checkpoint.format();
    }
  }

  /**
   * Saves the state dict of {@code model} to {@code file}, replacing it: safetensors when the name
   * ends in {@code .safetensors}, else the zip archive of {@code torch.save}.
   *
   * @throws IOException if the file cannot be written
   */
  public static void save(Module model, Path file) throws IOException {
    write(of(Objects.requireNonNull(model, "model")), file);
  }

  /**
   * Saves the state dict of {@code model} to {@code file} in {@code format}, replacing it.
   *
   * @throws IllegalArgumentException for {@link CheckpointFormat#TORCH_LEGACY}, which is only read
   * @throws IOException if the file cannot be written
   */
  public static void save(Module model, Path file, CheckpointFormat format) throws IOException {
    write(of(Objects.requireNonNull(model, "model")), file, format);
  }

  /**
   * Saves {@code stateDict}, in its iteration order, to {@code file}, replacing it, in the format
   * its name calls for (as {@link #save(Module, Path)}).
   *
   * @throws IllegalArgumentException if a tensor is undefined, or of a dtype that is not saved
   * @throws IOException if the file cannot be written
   */
  public static void write(Map<String, Tensor> stateDict, Path file) throws IOException {
    write(stateDict, file, formatForName(Objects.requireNonNull(file, "file")));
  }

  /**
   * Saves {@code stateDict}, in its iteration order, to {@code file} in {@code format}, replacing
   * it. The file is written beside its destination and moved over it, so it is whole or absent.
   *
   * @throws IllegalArgumentException if a tensor is undefined, or of a dtype that is not saved, or
   *     {@code format} is {@link CheckpointFormat#TORCH_LEGACY}
   * @throws IOException if the file cannot be written
   */
  public static void write(Map<String, Tensor> stateDict, Path file, CheckpointFormat format)
      throws IOException {
    Objects.requireNonNull(stateDict, "stateDict");
    stateDict.forEach(StateDict::checkDefined);
    CheckpointWriter.write(
        stateDict, Objects.requireNonNull(file, "file"), Objects.requireNonNull(format, "format"));
  }

  /**
   * The state dict of {@code model}, like PyTorch's {@code model.state_dict()}: every parameter and
   * buffer by qualified name, in PyTorch's order, sharing storage with the model (a change to the
   * model shows in the tensors). The map cannot be modified.
   */
  public static Map<String, Tensor> of(Module model) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    StringSharedModuleDict modules = model.named_modules();
    StringVector names = modules.keys(); // a copy of every key: once, not per module
    for (long i = 0; i < modules.size(); i++) {
      String name = string(names.get(i));
      Module module = modules.get(i).value();
      String prefix = name.isEmpty() ? "" : name + ".";
      addAll(tensors, prefix, module.named_parameters(false));
      addAll(tensors, prefix, module.named_buffers(false));
    }
    return Collections.unmodifiableMap(tensors);
  }

  /**
   * The same tensors as {@link #of}, by key, in an order that is not PyTorch's: two native calls
   * for the whole model instead of several per module, for loads, which only look keys up.
   */
  static Map<String, Tensor> lookup(Module model) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (StringTensorDict named :
        List.of(model.named_parameters(true), model.named_buffers(true))) {
      StringVector keys = named.keys();
      TensorVector values = named.values();
      for (long i = 0; i < keys.size(); i++) {
        // get(i) refers into the vector: hold the tensor by a handle of our own.
        tensors.put(string(keys.get(i)), new Tensor(values.get(i)));
      }
    }
    return tensors;
  }

  private static CheckpointFormat formatForName(Path file) {
    Path name = file.getFileName();
    return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")
        ? CheckpointFormat.SAFETENSORS
        : CheckpointFormat.TORCH_ZIP;
  }

  private static void addAll(Map<String, Tensor> tensors, String prefix, StringTensorDict named) {
    for (long i = 0; i < named.size(); i++) {
      StringTensorDictItem item = named.get(i);
      // The item refers into a temporary dict: hold the tensor by a handle of our own.
      tensors.put(prefix + string(item.key()), new Tensor(item.value()));
    }
  }

  /**
   * The keys with {@code prefix} removed where they start with it, in order.
   *
   * @throws IllegalArgumentException if two keys become one
   */
  static <T> Map<String, T> stripPrefix(Map<String, T> tensors, String prefix) {
    if (prefix.isEmpty()) {
      return tensors;
    }
    Map<String, T> out = new LinkedHashMap<>();
    Map<String, String> from = new LinkedHashMap<>();
    tensors.forEach(
        (key, value) -> {
          String stripped = key.startsWith(prefix) ? key.substring(prefix.length()) : key;
          String other = from.put(stripped, key);
          if (other != null) {
            throw new IllegalArgumentException(
                "removing the prefix \""
                    + prefix
                    + "\" makes \""
                    + other
                    + "\" and \""
                    + key
                    + "\" the same key \""
                    + stripped
                    + "\"; name another prefix with"
                    + " LoadOptions.withPrefixStripped");
          }
          out.put(stripped, value);
        });
    return out;
  }

  static void checkDefined(String key, Tensor tensor) {
    Objects.requireNonNull(tensor, () -> "the tensor for \"" + key + "\" is null");
    if (!tensor.defined()) {
      throw new IllegalArgumentException("the tensor for \"" + key + "\" is undefined");
    }
  }

  /** The presets return null for an empty {@code std::string} (the root module's name). */
  private static String string(BytePointer pointer) {
    return pointer == null ? "" : pointer.getString(StandardCharsets.UTF_8);
  }
}
