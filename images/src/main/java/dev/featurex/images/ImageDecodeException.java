package dev.featurex.images;

/**
 * An image that cannot be decoded: missing, unreadable, not an image, of an unsupported format,
 * truncated, corrupt, or larger than the decoder's pixel limit. The message names the source and
 * the reason.
 */
public final class ImageDecodeException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final String reason;

  /**
   * An exception for {@code source}, with {@code reason} saying what is wrong and, where there is
   * one, the way out.
   */
  public ImageDecodeException(String source, String reason, Throwable cause) {
    super("cannot decode image " + source + ": " + reason, cause);
    this.source = source;
    this.reason = reason;
  }

  /** The image's name ({@link ImageSource#name()}). */
  public String source() {
    return source;
  }

  /** What is wrong, without the source's name. */
  public String reason() {
    return reason;
  }
}
