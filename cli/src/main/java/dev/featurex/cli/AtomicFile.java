package dev.featurex.cli;

import dev.featurex.runtime.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The check of an output file before any work; the commands write it whole or not at all through
 * {@link AtomicFiles} (a hidden temporary file in the destination's folder renamed over it; the
 * permissions of a new file; symbolic links written through; special files refused).
 */
final class AtomicFile {

  private AtomicFile() {}

  /**
   * Checks that {@code output} can be written: it is named, it is not a directory or another file
   * that is not regular (a device, a FIFO, a socket; a symbolic link is judged by its target), its
   * folder exists, an existing file is writable, and a temporary file can really be created in the
   * folder (and is deleted at once).
   *
   * @throws CliException naming the problem: {@link ExitCodes#USAGE} for an empty name, else {@link
   *     ExitCodes#OUTPUT}
   */
  static void checkWritable(Path output, String option) {
    if (output.toString().isEmpty()) {
      throw new CliException(ExitCodes.USAGE, option + " is empty; name the file to write");
    }
    if (Files.isDirectory(output)) {
      throw new CliException(
          ExitCodes.OUTPUT, option + " " + output + " is a directory; name a file in it");
    }
    Path target;
    try {
      target = AtomicFiles.target(output);
    } catch (IOException e) {
      throw new CliException(ExitCodes.OUTPUT, option + " " + IoErrors.describe(e), e);
    }
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new CliException(
          ExitCodes.OUTPUT,
          option + " " + output + ": the folder " + dir + " does not exist; create it first");
    }
    if (Files.exists(target) && !Files.isWritable(target)) {
      throw new CliException(
          ExitCodes.OUTPUT, option + " " + output + " exists and cannot be replaced (read-only)");
    }
    try {
      Files.delete(AtomicFiles.createTemp(output, ".check.part"));
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.OUTPUT,
          option
              + " "
              + output
              + ": cannot create a file in "
              + dir
              + " ("
              + IoErrors.reason(e)
              + "); write somewhere else",
          e);
    }
  }
}
