package dev.featurex.cli.extract;

/** Package-private helpers of {@link Extraction}, for tests in other packages. */
public final class ExtractionTestAccess {

  private ExtractionTestAccess() {}

  /** {@link Extraction#abbreviate}. */
  public static String abbreviate(String message) {
    return Extraction.abbreviate(message);
  }
}
