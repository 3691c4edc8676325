package dev.featurex.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files written whole or not at all: the bytes go to a hidden temporary file beside the destination
 * (same file system), which is then renamed over it.
 */
final class AtomicFile {

  private AtomicFile() {}

  /** A new empty temporary file beside {@code destination}, named after it. */
  static Path tempBeside(Path destination, String suffix) throws IOException {
    Path dir = destination.toAbsolutePath().getParent();
    return Files.createTempFile(dir, "." + destination.getFileName() + ".", suffix + ".part");
  }

  /** Renames {@code temp} over {@code destination}, atomically where the file system can. */
  static void commit(Path temp, Path destination) throws IOException {
    try {
      Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, destination, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Writes {@code bytes} to {@code destination} through a temporary file. */
  static void write(Path destination, byte[] bytes) throws IOException {
    Path temp = tempBeside(destination, "");
    try {
      Files.write(temp, bytes);
      commit(temp, destination);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Checks that {@code output} can be created: its folder exists and is writable, and it is not a
   * directory itself.
   *
   * @throws CliException with {@link ExitCodes#OUTPUT}, naming the problem
   */
  static void checkWritable(Path output, String option) {
    Path absolute = output.toAbsolutePath();
    Path dir = absolute.getParent();
    if (Files.isDirectory(absolute)) {
      throw new CliException(
          ExitCodes.OUTPUT, option + " " + output + " is a directory; name a file in it");
    }
    if (dir == null || !Files.isDirectory(dir)) {
      throw new CliException(
          ExitCodes.OUTPUT,
          option + " " + output + ": the folder " + dir + " does not exist; create it first");
    }
    if (!Files.isWritable(dir)) {
      throw new CliException(
          ExitCodes.OUTPUT, option + " " + output + ": cannot write into the folder " + dir);
    }
    if (Files.exists(absolute) && !Files.isWritable(absolute)) {
      throw new CliException(
          ExitCodes.OUTPUT, option + " " + output + " exists and cannot be replaced (read-only)");
    }
  }
}
