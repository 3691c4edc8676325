package dev.featurex.graph;

import static com.google.common.truth.Truth.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

  @Test
  void distanceIsLevenshtein() {
    assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    assertThat(Suggestions.distance("relu", "relu")).isEqualTo(0);
  }

  @Test
  void closestKeepsAtMostThreeNearestInCandidateOrderOnTies() {
    List<String> names =
        List.of("layer1.0.relu", "layer1.0.relu_1", "layer1.1.relu", "fc", "layer4");
    // distances 2, 4, 3: nearest first.
    assertThat(Suggestions.closest("layer1.0.rleu", names))
        .containsExactly("layer1.0.relu", "layer1.1.relu", "layer1.0.relu_1")
        .inOrder();
    // "fc1": "fc" and "fc2" both at 1, in candidate order.
    assertThat(Suggestions.closest("fc1", List.of("fc2", "fc", "fc3", "fc4")))
        .containsExactly("fc2", "fc", "fc3")
        .inOrder();
  }

  @Test
  void farNamesAreNotSuggested() {
    assertThat(Suggestions.closest("classifier", List.of("x", "fc"))).isEmpty();
    assertThat(Suggestions.didYouMean("classifier", List.of("x", "fc"))).isEmpty();
  }

  @Test
  void didYouMeanQuotesAndJoins() {
    assertThat(Suggestions.didYouMean("fc1", List.of("fc", "fc2")))
        .isEqualTo("did you mean \"fc\" or \"fc2\"?");
    assertThat(Suggestions.didYouMean("fcc", List.of("fc"))).isEqualTo("did you mean \"fc\"?");
  }
}
