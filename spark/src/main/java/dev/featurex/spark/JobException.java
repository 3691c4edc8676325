package dev.featurex.spark;

/**
 * A job the driver refuses before any task runs, for a reason the user can fix: its message names
 * the problem and the fix, and {@link #exitCode()} is the command line's code for that kind of
 * problem ({@code featurex extract} uses the same). {@link ExtractJob#main} prints the message
 * alone, without a stack trace.
 */
public final class JobException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** What the problem is about, with the exit code of the command line for it. */
  public enum Kind {
    /** Bad options: an unknown option, model or node, a malformed or out-of-range value. */
    USAGE(2),
    /** The weights file is missing, unreadable, not a checkpoint, or does not fit the model. */
    WEIGHTS(3),
    /** The input is missing, unreadable, or lists no image. */
    INPUT(4),
    /** The output exists (without {@code --overwrite}) or cannot be checked. */
    OUTPUT(5);

    private final int exitCode;

    Kind(int exitCode) {
      this.exitCode = exitCode;
    }

    /** The process's exit code for this kind of problem. */
    public int exitCode() {
      return exitCode;
    }
  }

  private final Kind kind;

  /**
   * A refusal of {@code kind}.
   *
   * @param message the problem and the fix, in the job's options ({@code --weights}, {@code
   *     --nodes}, ...)
   */
  public JobException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** A refusal of {@code kind} caused by {@code cause} (kept for the log, not printed). */
  public JobException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** What the problem is about. */
  public Kind kind() {
    return kind;
  }

  /** The process's exit code: {@code kind().exitCode()}. */
  public int exitCode() {
    return kind.exitCode();
  }
}
