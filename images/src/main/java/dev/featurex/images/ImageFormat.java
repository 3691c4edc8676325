package dev.featurex.images;

import java.util.Locale;

/**
 * The formats the decoder reads, told apart by their first bytes (never by the file's extension,
 * which lies as often as not), and the common ones it does not read, so that the error can say what
 * the file is.
 */
enum ImageFormat {
  JPEG,
  PNG,
  BMP,
  GIF;

  /** How many leading bytes {@link #detect} looks at. */
  static final int HEAD = 16;

  /**
   * The format of an image starting with {@code head} (of which {@code length} bytes are valid).
   *
   * @throws IllegalArgumentException with a message saying what the bytes are instead
   */
  static ImageFormat detect(byte[] head, int length) {
    if (length <= 0) {
      throw new IllegalArgumentException("the file is empty");
    }
    if (starts(head, length, 0xFF, 0xD8, 0xFF)) {
      return JPEG;
    }
    if (starts(head, length, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return PNG;
    }
    if (starts(head, length, 'G', 'I', 'F', '8')) {
      return GIF;
    }
    if (starts(head, length, 'B', 'M')) {
      return BMP;
    }
    String other = otherFormat(head, length);
    throw new IllegalArgumentException(
        (other != null ? "it is a " + other + " image, which is not supported" : "not an image")
            + " (the file starts with "
            + hex(head, length)
            + "); supported formats: JPEG, PNG, BMP, GIF");
  }

  private static String otherFormat(byte[] head, int length) {
    if (starts(head, length, 'R', 'I', 'F', 'F')
        && length >= 12
        && ascii(head, 8, 4).equals("WEBP")) {
      return "WebP";
    }
    if (starts(head, length, 'I', 'I', '*', 0) || starts(head, length, 'M', 'M', 0, '*')) {
      return "TIFF";
    }
    if (length >= 12 && ascii(head, 4, 4).equals("ftyp")) {
      String brand = ascii(head, 8, 4).toLowerCase(Locale.ROOT);
      return brand.startsWith("avi")
          ? "AVIF"
          : brand.startsWith("hei") || brand.startsWith("mif") ? "HEIF/HEIC" : null;
    }
    if (starts(head, length, 0x00, 0x00, 0x00, 0x0C, 'j', 'P')) {
      return "JPEG 2000";
    }
    return null;
  }

  private static boolean starts(byte[] head, int length, int... magic) {
    if (length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((head[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static String ascii(byte[] head, int from, int count) {
    StringBuilder s = new StringBuilder();
    for (int i = from; i < from + count; i++) {
      s.append((char) (head[i] & 0xff));
    }
    return s.toString();
  }

  private static String hex(byte[] head, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(length, 8); i++) {
      s.append(String.format(Locale.ROOT, "%02x ", head[i] & 0xff));
    }
    return s.toString().trim();
  }
}
