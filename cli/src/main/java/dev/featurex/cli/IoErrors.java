package dev.featurex.cli;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Map;

/**
 * I/O exceptions in a user's words: the path and the operating system's reason ({@code
 * /proc/.f.npy.x.part: no such file or directory}), never a Java class name.
 */
final class IoErrors {

  /** The operating system's words for the exceptions that carry no reason of their own. */
  private static final Map<Class<? extends FileSystemException>, String> KINDS =
      Map.of(
          NoSuchFileException.class, "no such file or directory",
          AccessDeniedException.class, "permission denied",
          FileAlreadyExistsException.class, "already exists",
          NotDirectoryException.class, "not a directory",
          DirectoryNotEmptyException.class, "directory not empty",
          FileSystemLoopException.class, "too many levels of symbolic links");

  private IoErrors() {}

  /** The path(s) the exception is about, and why, in plain words. */
  static String describe(IOException e) {
    if (e instanceof FileSystemException fs) {
      StringBuilder text = new StringBuilder();
      if (fs.getFile() != null) {
        text.append(fs.getFile());
      }
      if (fs.getOtherFile() != null) {
        text.append(text.length() == 0 ? "" : " -> ").append(fs.getOtherFile());
      }
      return text.length() == 0 ? reason(e) : text + ": " + reason(e);
    }
    return reason(e);
  }

  /** Why, without the path: the operating system's reason ({@code permission denied}). */
  static String reason(IOException e) {
    if (e instanceof FileSystemException fs) {
      return fs.getReason() != null ? fs.getReason() : kind(fs);
    }
    if (e.getMessage() != null && !e.getMessage().isBlank()) {
      return e.getMessage();
    }
    return "an input/output error";
  }

  /** Whether the exception means the thread was interrupted (Ctrl-C, SIGTERM), not a failure. */
  static boolean isInterrupt(IOException e) {
    return e instanceof ClosedByInterruptException
        || e instanceof FileLockInterruptionException
        || e instanceof InterruptedIOException;
  }

  private static String kind(FileSystemException e) {
    for (Map.Entry<Class<? extends FileSystemException>, String> kind : KINDS.entrySet()) {
      if (kind.getKey().isInstance(e)) {
        return kind.getValue();
      }
    }
    return "cannot be accessed";
  }
}
