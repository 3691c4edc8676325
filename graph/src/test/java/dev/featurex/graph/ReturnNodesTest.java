package dev.featurex.graph;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.graph.ReturnNodes.Outcome;
import dev.featurex.graph.ReturnNodes.Request;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReturnNodesTest {

  private static final List<String> NAMES =
      List.of(
          "x",
          "conv1",
          "relu",
          "layer1.0.conv1",
          "layer1.0.relu",
          "layer1.0.add",
          "layer1.0.relu_1",
          "layer1.1.conv1",
          "layer1.1.add",
          "layer1.1.relu_1",
          "layer2.0.conv1",
          "flatten",
          "fc");

  @Test
  void prefixSelectsLastNodeInsideModule() {
    Outcome outcome = ReturnNodes.select(NAMES, List.of(new Request("layer1", "feat")));
    assertThat(outcome.unanswered()).isEmpty();
    assertThat(outcome.selections()).hasSize(1);
    assertThat(NAMES.get(outcome.selections().get(0).node())).isEqualTo("layer1.1.relu_1");
  }

  @Test
  void prefixNeedsWholePathParts() {
    // "layer1.0.relu" is a whole name: it does not select "layer1.0.relu_1".
    Outcome outcome = ReturnNodes.select(NAMES, List.of(new Request("layer1.0.relu", "r")));
    assertThat(NAMES.get(outcome.selections().get(0).node())).isEqualTo("layer1.0.relu");
  }

  @Test
  void selectionsComeInExecutionOrderWithTheirKeys() {
    Outcome outcome =
        ReturnNodes.select(
            NAMES,
            ReturnNodes.fromMap(orderedMap("fc", "logits", "conv1", "stem", "layer1", "f1")));
    assertThat(outcome.selections().stream().map(ReturnNodes.Selection::key).toList())
        .containsExactly("stem", "f1", "logits")
        .inOrder();
  }

  @Test
  void eachNodeAnswersOneRequest() {
    Outcome outcome =
        ReturnNodes.select(
            NAMES, List.of(new Request("layer1", "a"), new Request("layer1.1.relu_1", "b")));
    assertThat(outcome.selections()).hasSize(1);
    assertThat(outcome.selections().get(0).key()).isEqualTo("a");
    assertThat(outcome.unanswered()).containsExactly(new Request("layer1.1.relu_1", "b"));
  }

  @Test
  void presenceIsTorchvisionsRegexCheck() {
    assertThat(ReturnNodes.isPresent("layer1", NAMES)).isTrue();
    assertThat(ReturnNodes.isPresent("layer1.0", NAMES)).isTrue();
    assertThat(ReturnNodes.isPresent("layer", NAMES)).isFalse();
    assertThat(ReturnNodes.isPresent("layer3", NAMES)).isFalse();
  }

  /** Closest by edit distance; "layer1.0.add" and "layer1.0.relu_1" tie at 4, in graph order. */
  @Test
  void notPresentMessageIsTorchvisionsWithClosestNames() {
    assertThat(ReturnNodes.notPresentMessage("layer1.0.rleu", NAMES))
        .isEqualTo(
            "node: 'layer1.0.rleu' is not present in model. Hint: use `getGraphNodeNames` to make"
                + " sure the `returnNodes` you specified are present. It may even be that you need"
                + " to specify `trainReturnNodes` and `evalReturnNodes` separately. Did you mean"
                + " \"layer1.0.relu\", \"layer1.0.add\" or \"layer1.0.relu_1\"?");
  }

  @Test
  void parseReadsNodeAndKey() {
    assertThat(ReturnNodes.parse("layer1:feat")).isEqualTo(new Request("layer1", "feat"));
    assertThat(ReturnNodes.parse("layer1.0.relu"))
        .isEqualTo(new Request("layer1.0.relu", "layer1.0.relu"));
    assertThat(assertThrows(IllegalArgumentException.class, () -> ReturnNodes.parse("a:b:c")))
        .hasMessageThat()
        .isEqualTo("more than one ':'");
    assertThat(ReturnNodes.identifierFor("layer1.0.relu_1")).isEqualTo("layer1_0_relu_1");
  }

  @Test
  void parseRefusesWhiteSpaceAroundTheNodeOrTheKey() {
    assertThat(
            assertThrows(IllegalArgumentException.class, () -> ReturnNodes.parse("avgpool: emb")))
        .hasMessageThat()
        .isEqualTo("the key \" emb\" starts or ends with white space; write it without (\"emb\")");
    assertThat(assertThrows(IllegalArgumentException.class, () -> ReturnNodes.parse("avgpool :e")))
        .hasMessageThat()
        .contains("the node name \"avgpool \" starts or ends with white space");
    assertThat(assertThrows(IllegalArgumentException.class, () -> ReturnNodes.parse(" layer4")))
        .hasMessageThat()
        .contains("the node name \" layer4\"");
    assertThat(assertThrows(IllegalArgumentException.class, () -> ReturnNodes.parse("fc:k\t")))
        .hasMessageThat()
        .contains("the key");
    // White space inside is not refused: a key is any string, as in torchvision's dict.
    assertThat(ReturnNodes.parse("fc:my key")).isEqualTo(new Request("fc", "my key"));
  }

  private static Map<String, String> orderedMap(String... pairs) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  void requestThatBacktracksWithoutEndIsRefusedQuickly() {
    List<String> names = List.of("x", "a".repeat(40) + "c", "fc");
    long start = System.nanoTime();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ReturnNodes.isPresent("(.*a){20}b", names));
    assertThat(e).hasMessageThat().contains("escape its special characters");
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(5.0);
  }

  @Test
  void requestsAreRegularExpressionsAsInTorchvision() {
    assertThat(ReturnNodes.isPresent("layer1\\.0", NAMES)).isTrue();
    assertThat(ReturnNodes.isPresent("layer[12]", NAMES)).isTrue();
    assertThat(ReturnNodes.isPresent("layer(1", NAMES)).isFalse();
  }
}
