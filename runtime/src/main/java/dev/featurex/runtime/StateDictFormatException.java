package dev.featurex.runtime;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file is not a state dict that {@link StateDict#read(Path)} can read: not a {@code torch.save}
 * zip archive, an {@code OrderedDict}, not a dict, or a dict with an entry that is not a tensor.
 * The message names the file, says what is wrong and how to save the file instead.
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
