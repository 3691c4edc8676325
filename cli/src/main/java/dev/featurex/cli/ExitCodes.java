package dev.featurex.cli;

/**
 * The exit codes of the {@code featurex} command, one per kind of problem, so that scripts can tell
 * a typo from a bad file. {@code featurex --help} lists them.
 */
public final class ExitCodes {

  /** Done; for {@code extract}, also when some images were unreadable and skipped (counted). */
  public static final int OK = 0;

  /**
   * Failed while running: no image could be read, an image was unreadable with {@code --fail-fast},
   * writing the output failed, or the model failed on a batch. Nothing was written.
   */
  public static final int FAILED = 1;

  /** Bad command line: an unknown option, model or node, a malformed value. */
  public static final int USAGE = 2;

  /** The weights file is missing, unreadable, not a checkpoint, or does not fit the model. */
  public static final int WEIGHTS = 3;

  /** The input is missing, unreadable, or holds no image. */
  public static final int INPUT = 4;

  /** The output cannot be written there: missing folder, a directory, no permission. */
  public static final int OUTPUT = 5;

  /** {@code graph --format svg|png} needs Graphviz's {@code dot}, which could not be run. */
  public static final int GRAPHVIZ = 6;

  /** Interrupted (Ctrl-C, SIGINT or SIGTERM): nothing was written. 128 + SIGINT, as shells do. */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
