package dev.featurex.cli;

/**
 * A problem the command reports in one line and turns into its exit code ({@link ExitCodes}); no
 * stack trace, since the message says what was wrong and how to fix it.
 */
public final class CliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /** A problem ending the command with {@code exitCode}. */
  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /**
   * A problem ending the command with {@code exitCode}, with its cause (kept for a debugger; not
   * printed).
   */
  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** The exit code ({@link ExitCodes}). */
  public int exitCode() {
    return exitCode;
  }
}
