package dev.featurex.cli.extract;

/**
 * A problem with what an extraction was asked to do, found before any image is read: the message
 * names the value and the fix; {@link #kind()} says which option was wrong, so that the command
 * line can map it to an exit code and Spark can fail the job before it starts.
 */
public final class ExtractionException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Which part of the request was wrong. */
  public enum Kind {
    /** The model name is not in the zoo. */
    MODEL,
    /** A node or key is malformed, present in no node name, or asked twice. */
    NODES,
    /** The weights file is missing, unreadable, not a checkpoint, or does not fit the model. */
    WEIGHTS,
    /** Another option is out of range (image size, interpolation, batch, threads). */
    OPTIONS
  }

  private final Kind kind;

  /** An exception of {@code kind} with a message naming the problem and the fix. */
  public ExtractionException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** An exception of {@code kind} with a message and its cause. */
  public ExtractionException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** Which part of the request was wrong. */
  public Kind kind() {
    return kind;
  }
}
