package dev.featurex.graph;

import static com.google.common.truth.Truth.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GraphDifferencesTest {

  private static final String SUGGESTION =
      "When choosing nodes for feature extraction, you may need to specify output nodes for train"
          + " and eval mode separately.";

  @Test
  void equalGraphsGiveNoWarning() {
    assertThat(GraphDifferences.warning(List.of("x", "fc"), List.of("x", "fc"))).isEmpty();
  }

  @Test
  void evalSubsequenceOfTrain() {
    assertThat(
            GraphDifferences.warning(
                List.of("x", "fc", "dropout", "out"), List.of("x", "fc", "out")))
        .hasValue(
            "NOTE: The nodes obtained by tracing the model in eval mode are a subsequence of those"
                + " obtained in train mode. "
                + SUGGESTION);
  }

  @Test
  void trainSubsequenceOfEval() {
    assertThat(GraphDifferences.warning(List.of("x", "out"), List.of("x", "norm", "out")))
        .hasValue(
            "NOTE: The nodes obtained by tracing the model in train mode are a subsequence of those"
                + " obtained in eval mode. "
                + SUGGESTION);
  }

  @Test
  void neitherSubsequence() {
    assertThat(GraphDifferences.warning(List.of("x", "a", "out"), List.of("x", "b", "out")))
        .hasValue(
            "The nodes obtained by tracing the model in train mode are different to those obtained"
                + " in eval mode. "
                + SUGGESTION);
  }
}
