package dev.featurex.processor.trace;

/**
 * Control flow out of a statement: {@code break}, {@code continue}, {@code return}, {@code yield}.
 */
final class Jump extends RuntimeException {

  private static final long serialVersionUID = 1L;

  enum Kind {
    BREAK,
    CONTINUE,
    RETURN,
    YIELD
  }

  final Kind kind;
  final String label;
  final transient Value value;

  Jump(Kind kind, String label, Value value) {
    super(null, null, false, false);
    this.kind = kind;
    this.label = label;
    this.value = value;
  }

  /** Whether this is a {@code break} or {@code continue} aimed at the statement labelled so. */
  boolean targets(Kind wanted, String statementLabel) {
    return kind == wanted && (label == null || label.equals(statementLabel));
  }
}
