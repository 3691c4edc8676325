package dev.featurex.graph;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * torchvision's {@code _warn_graph_differences}: the warning given when the train and eval graphs
 * have different node lists, in torchvision's words, for its three cases.
 */
public final class GraphDifferences {

  private static final String SUGGESTION =
      "When choosing nodes for feature extraction, you may need to specify "
          + "output nodes for train and eval mode separately.";

  private GraphDifferences() {}

  /** The warning for these node lists, or empty when they are equal. */
  public static Optional<String> warning(List<String> train, List<String> eval) {
    if (train.equals(eval)) {
      return Optional.empty();
    }
    String message;
    if (isSubsequence(eval, train)) {
      message =
          "NOTE: The nodes obtained by tracing the model in eval mode "
              + "are a subsequence of those obtained in train mode. ";
    } else if (isSubsequence(train, eval)) {
      message =
          "NOTE: The nodes obtained by tracing the model in train mode "
              + "are a subsequence of those obtained in eval mode. ";
    } else {
      message =
          "The nodes obtained by tracing the model in train mode are different to those obtained in"
              + " eval mode. ";
    }
    return Optional.of(message + SUGGESTION);
  }

  /** Whether {@code part} is a subsequence of {@code whole}. */
  static boolean isSubsequence(List<String> part, List<String> whole) {
    Iterator<String> rest = whole.iterator();
    outer:
    for (String wanted : part) {
      while (rest.hasNext()) {
        if (rest.next().equals(wanted)) {
          continue outer;
        }
      }
      return false;
    }
    return true;
  }
}
