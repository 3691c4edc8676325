package dev.featurex.images;

/**
 * An image of a batch that could not be loaded; the batch goes on without it.
 *
 * @param source the image
 * @param index its position in the loader's input (0-based), so that a caller can match it to its
 *     own list
 * @param reason what went wrong, without the source's name (see {@link
 *     ImageDecodeException#reason()})
 * @param cause the exception, for logs
 */
public record ImageFailure(ImageSource source, long index, String reason, Throwable cause) {

  /** The source's name and the reason, as a log line would say it. */
  public String message() {
    return source.name() + ": " + reason;
  }
}
