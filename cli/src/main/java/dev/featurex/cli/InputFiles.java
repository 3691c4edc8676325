package dev.featurex.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What {@code --input} names, as the list of image files to read:
 *
 * <ul>
 *   <li>a directory: every file under it (recursively, following no links) whose name ends in an
 *       image extension ({@link #EXTENSIONS}, any case), sorted by path, as torchvision's {@code
 *       ImageFolder} picks files by extension;
 *   <li>an image file: that image (a name with an image extension, or a file starting with a JPEG,
 *       PNG, BMP or GIF signature);
 *   <li>any other file: a list, one path per line (UTF-8; blank lines and lines starting with
 *       {@code #} skipped), relative paths resolved against the current directory. Listed files
 *       that are missing are reported and skipped like unreadable images.
 * </ul>
 */
final class InputFiles {

  /** The extensions a directory's images are picked by. */
  static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

  private InputFiles() {}

  /**
   * The images {@code input} names, in order.
   *
   * @throws CliException with {@link ExitCodes#INPUT} when the input is missing or unreadable, or
   *     names no image
   */
  static List<Path> resolve(Path input) {
    if (!Files.exists(input)) {
      throw new CliException(ExitCodes.INPUT, "--input " + input + " does not exist");
    }
    if (!Files.isReadable(input)) {
      throw new CliException(ExitCodes.INPUT, "--input " + input + " cannot be read");
    }
    List<Path> images;
    if (Files.isDirectory(input)) {
      images = walk(input);
      if (images.isEmpty()) {
        throw new CliException(
            ExitCodes.INPUT,
            "--input "
                + input
                + " holds no image (files ending in "
                + String.join(", ", EXTENSIONS.stream().sorted().toList())
                + ", searched recursively)");
      }
    } else if (isImage(input)) {
      images = List.of(input);
    } else {
      images = readList(input);
      if (images.isEmpty()) {
        throw new CliException(
            ExitCodes.INPUT, "--input " + input + " is an empty list (one image path per line)");
      }
    }
    return images;
  }

  private static List<Path> walk(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(InputFiles::hasImageExtension)
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new CliException(ExitCodes.INPUT, "cannot list --input " + dir + ": " + e.getMessage());
    }
  }

  static boolean hasImageExtension(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static boolean isImage(Path file) {
    if (hasImageExtension(file)) {
      return true;
    }
    byte[] head = new byte[8];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new CliException(ExitCodes.INPUT, "cannot read --input " + file + ": " + e);
    }
    return n >= 3 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xD8
        || n >= 4 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N'
        || n >= 4 && head[0] == 'G' && head[1] == 'I' && head[2] == 'F'
        || n >= 2 && head[0] == 'B' && head[1] == 'M';
  }

  private static List<Path> readList(Path list) {
    List<String> lines;
    try {
      lines = Files.readAllLines(list, StandardCharsets.UTF_8);
    } catch (MalformedInputException e) {
      throw new CliException(
          ExitCodes.INPUT,
          "--input "
              + list
              + " is neither an image (JPEG, PNG, BMP, GIF) nor a UTF-8 list of image paths");
    } catch (IOException e) {
      throw new CliException(ExitCodes.INPUT, "cannot read --input " + list + ": " + e);
    }
    List<Path> images = new ArrayList<>(lines.size());
    for (String line : lines) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.indexOf('\0') >= 0) {
        throw new CliException(
            ExitCodes.INPUT,
            "--input " + list + " is neither an image nor a text list of image paths");
      }
      try {
        images.add(Path.of(trimmed));
      } catch (java.nio.file.InvalidPathException e) {
        throw new CliException(
            ExitCodes.INPUT, "--input " + list + " lists an invalid path: " + e.getMessage());
      }
    }
    return images;
  }
}
