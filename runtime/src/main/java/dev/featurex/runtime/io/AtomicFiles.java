package dev.featurex.runtime.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Files written whole or not at all: the bytes go to a hidden temporary file in the destination's
 * folder (same file system), which {@link #commit} then renames over the destination.
 *
 * <ul>
 *   <li><b>Permissions</b>: the temporary file is created as any new file of the user is ({@code
 *       0666 & ~umask}, typically 0644), not private to its owner as {@code Files.createTempFile}
 *       makes it; when it replaces an existing file, it takes that file's permissions.
 *   <li><b>Symbolic links</b> are written through: the link's final target is replaced (the
 *       temporary file goes in the target's folder), and the link stays.
 *   <li><b>Special files</b>: a destination that exists and is not a regular file (a directory, a
 *       device, a FIFO, a socket) is refused ({@link #target}), never replaced.
 * </ul>
 */
public final class AtomicFiles {

  /** The most symbolic links followed from a destination, as Linux's {@code ELOOP} limit. */
  private static final int MAX_LINKS = 40;

  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /**
   * The file that writing {@code destination} replaces: {@code destination} itself, or, for a
   * symbolic link, its final target (which may not exist yet), as an absolute path.
   *
   * @throws IOException when the links loop, or the file exists and is not a regular file (the
   *     message names it and what it is)
   */
  public static Path target(Path destination) throws IOException {
    Path path = destination.toAbsolutePath();
    for (int hops = 0; Files.isSymbolicLink(path); hops++) {
      if (hops == MAX_LINKS) {
        throw new IOException(destination + ": too many levels of symbolic links");
      }
      path = path.resolveSibling(Files.readSymbolicLink(path)).normalize();
    }
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          (path.equals(destination.toAbsolutePath())
                  ? destination
                  : destination + " (-> " + path + ")")
              + " is "
              + kind(path)
              + ", not a regular file; name a regular file");
    }
    return path;
  }

  /**
   * A new empty temporary file for {@code destination}: hidden, named after it, ending in {@code
   * suffix}, in the folder of its {@link #target}, with the permissions a new file gets.
   *
   * @throws IOException when the file cannot be created there, or the destination is not a regular
   *     file
   */
  public static Path createTemp(Path destination, String suffix) throws IOException {
    Path target = target(destination);
    Path folder = target.getParent();
    if (folder == null) {
      throw new IOException(destination + " names no file");
    }
    while (true) {
      Path temp =
          folder.resolve(
              "."
                  + target.getFileName()
                  + "."
                  + Long.toUnsignedString(RANDOM.nextLong(), 36)
                  + suffix);
      try {
        FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW).close();
      } catch (FileAlreadyExistsException taken) {
        continue;
      }
      return temp;
    }
  }

  /**
   * Renames {@code temp} over {@code destination}'s {@link #target}, atomically where the file
   * system can; when the target exists, {@code temp} first takes its permissions.
   *
   * @throws IOException when the rename fails, or the destination became a file that is not regular
   */
  public static void commit(Path temp, Path destination) throws IOException {
    Path target = target(destination);
    copyPermissions(target, temp);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Writes {@code bytes} to {@code destination} through a temporary file ({@link #createTemp},
   * {@link #commit}); the temporary is gone afterwards, whatever happened.
   */
  public static void write(Path destination, byte[] bytes) throws IOException {
    Path temp = createTemp(destination, ".part");
    try {
      Files.write(temp, bytes);
      commit(temp, destination);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The existing {@code target}'s POSIX permissions onto {@code temp}, where both have them. */
  private static void copyPermissions(Path target, Path temp) throws IOException {
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    PosixFileAttributeView from =
        Files.getFileAttributeView(target, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (from == null) {
      return;
    }
    Set<PosixFilePermission> permissions = from.readAttributes().permissions();
    Files.setPosixFilePermissions(temp, permissions);
  }

  private static String kind(Path path) {
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      return "a directory";
    }
    try {
      Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      if (mode instanceof Integer bits) {
        switch (bits & 0170000) {
          case 0010000:
            return "a FIFO (named pipe)";
          case 0020000:
            return "a character device";
          case 0060000:
            return "a block device";
          case 0140000:
            return "a socket";
          default:
            break;
        }
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // fall through: the generic word
    }
    return "a special file";
  }
}
