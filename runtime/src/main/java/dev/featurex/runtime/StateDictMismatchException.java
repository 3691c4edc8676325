package dev.featurex.runtime;

import java.util.List;

/**
 * A {@link LoadMode#STRICT} load found a state dict that does not fit the model. The message lists
 * every problem at once, in PyTorch's words ({@code Error(s) in loading state_dict for ResNet:
 * Missing key(s) in state_dict: "fc.bias". ...}); nothing was copied.
 */
public final class StateDictMismatchException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient LoadResult problems;

  /**
   * An exception for {@code problems}, which is not {@linkplain LoadResult#isExact() exact}.
   *
   * @param modelName the model's class name, for the message
   * @param problems what did not fit; its {@code loadedKeys} are the keys that would have loaded
   */
  public StateDictMismatchException(String modelName, LoadResult problems) {
    super(problems.describeProblems(modelName));
    this.problems = problems;
  }

  /**
   * What did not fit, as data: missing keys, unexpected keys and size mismatches; {@code
   * loadedKeys} holds the keys that would have been copied.
   */
  public LoadResult problems() {
    return problems;
  }

  /**
   * The message cut for a terminal or a log line ({@link #abbreviate}): a ResNet-50 checkpoint
   * given to ResNet-18 lists 150 keys.
   */
  public String abbreviatedMessage(int maxLines, int maxLineLength) {
    return abbreviate(getMessage(), maxLines, maxLineLength);
  }

  /**
   * The first {@code maxLines} lines of {@code message}, each cut at {@code maxLineLength}
   * characters (then {@code " ..."}), followed by how many lines were left out.
   */
  public static String abbreviate(String message, int maxLines, int maxLineLength) {
    List<String> lines = message.lines().toList();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Math.min(lines.size(), maxLines); i++) {
      String line = lines.get(i);
      text.append(i == 0 ? "" : "\n")
          .append(
              line.length() <= maxLineLength ? line : line.substring(0, maxLineLength) + " ...");
    }
    if (lines.size() > maxLines) {
      text.append("\n\t... and ").append(lines.size() - maxLines).append(" more lines");
    }
    return text.toString();
  }
}
