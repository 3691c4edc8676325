package dev.featurex.images;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an image's bytes come from: a file, or bytes already in memory (a Spark job's {@code
 * binaryFiles}, an HTTP body). Its {@link #name()} names it in failures and in a batch's list of
 * sources.
 */
public sealed interface ImageSource permits ImageSource.FileSource, ImageSource.BytesSource {

  /** How failures and batches name this image: the file's path as given, or the caller's name. */
  String name();

  /** An image file. */
  static ImageSource of(Path file) {
    return new FileSource(file);
  }

  /** An image held in memory, under {@code name}. The array is not copied: do not change it. */
  static ImageSource of(String name, byte[] data) {
    return new BytesSource(name, data);
  }

  /**
   * An image file.
   *
   * @param path the file
   */
  record FileSource(Path path) implements ImageSource {
    /** Checks that the path is not null. */
    public FileSource {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String name() {
      return path.toString();
    }
  }

  /**
   * An encoded image in memory.
   *
   * @param name how failures name it
   * @param data the encoded bytes (a JPEG, PNG, BMP or GIF file's content)
   */
  record BytesSource(String name, byte[] data) implements ImageSource {
    /** Checks that neither is null. */
    public BytesSource {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(data, "data");
    }

    @Override
    public String toString() {
      return "BytesSource[" + name + ", " + data.length + " bytes]";
    }
  }
}
