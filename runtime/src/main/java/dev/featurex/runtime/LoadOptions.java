package dev.featurex.runtime;

import java.util.Objects;
import java.util.Optional;

/**
 * How {@link StateDict#load(org.bytedeco.pytorch.Module, java.nio.file.Path, LoadOptions)} reads a
 * checkpoint into a model: the {@link LoadMode}, which entry of a training checkpoint holds the
 * state dict, and which key prefix to remove. Immutable; start from {@link #strict()} or {@link
 * #nonStrict()}.
 *
 * <pre>{@code
 * StateDict.load(model, file, LoadOptions.strict().withEntry("ema_state_dict"));
 * StateDict.load(model, file, LoadOptions.nonStrict().withPrefixStripped("backbone."));
 * }</pre>
 *
 * <p>By default the entry is found ({@code state_dict}, {@code model_state_dict} or {@code model},
 * when exactly one of them is a dict of tensors), and the {@code module.} prefix that {@code
 * torch.nn.DataParallel} adds is removed when every key of the file has it and no key of the model
 * does.
 */
public final class LoadOptions {

  /** The prefix of {@code torch.nn.DataParallel} and {@code DistributedDataParallel}. */
  public static final String DATA_PARALLEL_PREFIX = "module.";

  private final LoadMode mode;
  private final String entry;
  private final String prefix;

  private LoadOptions(LoadMode mode, String entry, String prefix) {
    this.mode = mode;
    this.entry = entry;
    this.prefix = prefix;
  }

  /** {@link LoadMode#STRICT}, the entry found, the {@code module.} prefix removed when present. */
  public static LoadOptions strict() {
    return new LoadOptions(LoadMode.STRICT, null, null);
  }

  /** {@link #strict()}, but {@link LoadMode#NON_STRICT}. */
  public static LoadOptions nonStrict() {
    return new LoadOptions(LoadMode.NON_STRICT, null, null);
  }

  /** These options with {@code mode}. */
  public LoadOptions withMode(LoadMode mode) {
    return new LoadOptions(Objects.requireNonNull(mode, "mode"), entry, prefix);
  }

  /**
   * These options, reading the state dict from the entry {@code key} of a training checkpoint
   * (Python's {@code checkpoint[key]}) instead of finding it.
   */
  public LoadOptions withEntry(String key) {
    return new LoadOptions(mode, Objects.requireNonNull(key, "key"), prefix);
  }

  /**
   * These options, removing {@code prefix} from every key of the file that starts with it (as
   * {@code torch.nn.modules.utils.consume_prefix_in_state_dict_if_present}); {@code ""} keeps every
   * key as it is, turning off the {@code module.} default.
   */
  public LoadOptions withPrefixStripped(String prefix) {
    return new LoadOptions(mode, entry, Objects.requireNonNull(prefix, "prefix"));
  }

  /** The mode. */
  public LoadMode mode() {
    return mode;
  }

  /** The checkpoint entry named with {@link #withEntry}, if any. */
  public Optional<String> entry() {
    return Optional.ofNullable(entry);
  }

  /** The prefix named with {@link #withPrefixStripped}, if any. */
  public Optional<String> prefix() {
    return Optional.ofNullable(prefix);
  }

  @Override
  public String toString() {
    return "LoadOptions["
        + mode
        + (entry == null ? "" : ", entry " + entry)
        + (prefix == null ? "" : ", prefix \"" + prefix + "\"")
        + "]";
  }
}
