package dev.featurex.graph;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Regular-expression matching that cannot run away. torchvision matches return-node requests and
 * node names as regular expressions ({@code re.match}), so a request such as {@code (.*a){20}b}
 * backtracks for longer than anyone waits. Java's matcher reads its input through {@link
 * CharSequence#charAt}; counting those reads bounds the work: a match that needs more than {@link
 * #budget} reads stops with {@link TooComplexException}.
 */
final class BoundedRegex {

  /** Thrown when a match needs more work than its budget allows. */
  static final class TooComplexException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooComplexException() {
      super(null, null, false, false);
    }
  }

  private BoundedRegex() {}

  /** The reads a match may make on {@code input}: generous for any sane pattern. */
  static long budget(CharSequence input) {
    return 100_000L + 1_000L * input.length();
  }

  /** {@code regex} compiled, or the literal pattern of it when it is not a valid expression. */
  static Pattern compileOrQuote(String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      return Pattern.compile(Pattern.quote(regex));
    }
  }

  /**
   * A matcher of {@code pattern} on {@code input} whose reads are counted.
   *
   * @throws TooComplexException from the matcher's methods once the budget is spent
   */
  static Matcher matcher(Pattern pattern, String input) {
    return pattern.matcher(new Counting(input, budget(input)));
  }

  private static final class Counting implements CharSequence {
    private final String text;
    private long left;

    Counting(String text, long budget) {
      this.text = text;
      this.left = budget;
    }

    @Override
    public char charAt(int index) {
      if (--left < 0) {
        throw new TooComplexException();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
