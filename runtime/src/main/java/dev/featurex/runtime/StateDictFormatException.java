package dev.featurex.runtime;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file is not a checkpoint that {@link StateDict} can read, or is damaged: none of the {@link
 * CheckpointFormat}s, truncated, failing a checksum, declaring sizes the file does not hold, naming
 * a global outside the allowlist, or holding something other than a state dict (or a training
 * checkpoint with one). The message names the file, says what is wrong and, where known, how to
 * save the file instead.
 */
public final class StateDictFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /**
   * An exception for {@code file}, whose message is {@code "<file>: <problem>"}.
   *
   * @param file the file that could not be read
   * @param problem what is wrong and, where known, how to save the file instead
   */
  public StateDictFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  /** The file that could not be read. */
  public Path file() {
    return file;
  }
}
