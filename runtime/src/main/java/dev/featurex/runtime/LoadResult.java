package dev.featurex.runtime;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@link StateDict#load} did: the keys it copied and the keys it could not, each list in the
 * order of the state dict (loaded, unexpected, size mismatches) or of the model (missing). After a
 * {@link LoadMode#STRICT} load that returned, only {@link #loadedKeys()} is non-empty.
 *
 * @param loadedKeys keys whose tensor was copied into the model's parameter or buffer
 * @param missingKeys keys of the model that the state dict lacks; those tensors keep their values
 * @param unexpectedKeys keys of the state dict that the model lacks; ignored
 * @param sizeMismatches keys present on both sides with different shapes; not copied
 * @param unloadable keys whose model tensor cannot receive a copy (quantized, sparse, of an
 *     unsupported dtype); not copied
 */
public record LoadResult(
    List<String> loadedKeys,
    List<String> missingKeys,
    List<String> unexpectedKeys,
    List<SizeMismatch> sizeMismatches,
    List<Unloadable> unloadable) {

  /** Copies the lists, so a result never changes. */
  public LoadResult {
    loadedKeys = List.copyOf(loadedKeys);
    missingKeys = List.copyOf(missingKeys);
    unexpectedKeys = List.copyOf(unexpectedKeys);
    sizeMismatches = List.copyOf(sizeMismatches);
    unloadable = List.copyOf(unloadable);
  }

  /** A result without unloadable tensors. */
  public LoadResult(
      List<String> loadedKeys,
      List<String> missingKeys,
      List<String> unexpectedKeys,
      List<SizeMismatch> sizeMismatches) {
    this(loadedKeys, missingKeys, unexpectedKeys, sizeMismatches, List.of());
  }

  /**
   * A key whose tensor the checkpoint has with the model's shape, but which cannot be copied: the
   * model's (or the given) tensor is quantized, sparse, or of a dtype that is not loaded.
   *
   * @param key the qualified name
   * @param reason what is wrong with which side, and what to do
   */
  public record Unloadable(String key, String reason) {

    /** The message line: {@code cannot load fc.bias: ...}. */
    @Override
    public String toString() {
      return "cannot load " + key + ": " + reason;
    }
  }

  /**
   * A key whose tensor has one shape in the state dict and another in the model.
   *
   * @param key the qualified name, as in {@code layer1.0.conv1.weight}
   * @param checkpointShape the shape in the state dict
   * @param modelShape the shape of the model's parameter or buffer
   */
  public record SizeMismatch(String key, List<Long> checkpointShape, List<Long> modelShape) {

    /** Copies the shapes, so a mismatch never changes. */
    public SizeMismatch {
      checkpointShape = List.copyOf(checkpointShape);
      modelShape = List.copyOf(modelShape);
    }

    /** PyTorch's wording: {@code size mismatch for fc.weight: copying a param with shape ...}. */
    @Override
    public String toString() {
      return "size mismatch for "
          + key
          + ": copying a param with shape "
          + checkpointShape
          + " from checkpoint, the shape in current model is "
          + modelShape
          + ".";
    }
  }

  /**
   * True when the state dict and the model matched exactly: nothing missing, unexpected, mismatched
   * or unloadable.
   */
  public boolean isExact() {
    return missingKeys.isEmpty()
        && unexpectedKeys.isEmpty()
        && sizeMismatches.isEmpty()
        && unloadable.isEmpty();
  }

  /**
   * The problems in PyTorch's words, one group a line: missing keys, unexpected keys, each size
   * mismatch, then each unloadable tensor; the message of a failed strict load.
   *
   * @param modelName the model's class name, as in {@code Error(s) in loading state_dict for
   *     ResNet}
   */
  public String describeProblems(String modelName) {
    StringBuilder message =
        new StringBuilder("Error(s) in loading state_dict for ").append(modelName).append(':');
    if (!missingKeys.isEmpty()) {
      message.append("\n\tMissing key(s) in state_dict: ").append(quoted(missingKeys)).append('.');
    }
    if (!unexpectedKeys.isEmpty()) {
      message
          .append("\n\tUnexpected key(s) in state_dict: ")
          .append(quoted(unexpectedKeys))
          .append('.');
    }
    for (SizeMismatch mismatch : sizeMismatches) {
      message.append("\n\t").append(mismatch);
    }
    for (Unloadable tensor : unloadable) {
      message.append("\n\t").append(tensor);
    }
    return message.toString();
  }

  private static String quoted(List<String> keys) {
    return keys.stream().map(key -> '"' + key + '"').collect(Collectors.joining(", "));
  }
}
