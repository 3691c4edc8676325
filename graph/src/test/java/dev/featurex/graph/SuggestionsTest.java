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
  void closestKeepsAtMostThreeNearestPreferringTheTyposLengthThenCandidateOrderOnTies() {
    List<String> names =
        List.of("layer1.0.relu", "layer1.0.relu_1", "layer1.1.relu", "fc", "layer4");
    // distances 2, 4, 3: nearest first.
    assertThat(Suggestions.closest("layer1.0.rleu", names))
        .containsExactly("layer1.0.relu", "layer1.1.relu", "layer1.0.relu_1")
        .inOrder();
    // "fc1": all at 1; "fc2", "fc3", "fc4" have its length, "fc" is shorter.
    assertThat(Suggestions.closest("fc1", List.of("fc2", "fc", "fc3", "fc4")))
        .containsExactly("fc2", "fc3", "fc4")
        .inOrder();
    assertThat(Suggestions.closest("fc1", List.of("fc", "fc2", "conv1")))
        .containsExactly("fc2", "fc")
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
        .isEqualTo("did you mean \"fc2\" or \"fc\"?");
    assertThat(Suggestions.didYouMean("fcc", List.of("fc"))).isEqualTo("did you mean \"fc\"?");
  }

  @Test
  void selectionsAreEachNameAndEachPrefixOnceInOrderOfAppearance() {
    assertThat(Suggestions.selections(List.of("x", "layer1.0.conv1", "layer1.0.relu", "fc")))
        .containsExactly("x", "layer1", "layer1.0", "layer1.0.conv1", "layer1.0.relu", "fc")
        .inOrder();
  }

  @Test
  void typoOfAPrefixSuggestsThePrefix() {
    List<String> regnet =
        List.of(
            "x",
            "stem.0",
            "stage1.0.conv",
            "stage2.0.conv",
            "stage3.0.conv",
            "stage3.1.conv",
            "head.fc");
    assertThat(Suggestions.didYouMean("stgae3", regnet))
        .isEqualTo("did you mean \"stage3\", \"stage1\" or \"stage2\"?");
    List<String> resnet =
        List.of("layer1.0.conv1", "layer2.0.conv1", "layer3.0.conv1", "layer4.0.conv1", "fc");
    assertThat(Suggestions.didYouMean("layr4", resnet))
        .isEqualTo("did you mean \"layer4\", \"layer1\" or \"layer2\"?");
  }

  @Test
  void typoOfAWholeNameStillSuggestsWholeNamesFirst() {
    List<String> names = List.of("layer4.1.conv1", "layer4.1.relu", "layer4.1.relu_1");
    assertThat(Suggestions.didYouMean("layer4.1.rleu", names))
        .isEqualTo("did you mean \"layer4.1.relu\", \"layer4.1.relu_1\" or \"layer4.1.conv1\"?");
  }
}
