package dev.featurex.graph;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.graph.GraphNode.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordsTest {

  @Test
  void fieldsWithSeparatorsAndBackslashesRoundTrip() {
    List<List<String>> records =
        List.of(List.of("a\tb", "c\nd", "e\\f", ""), List.of("", "\\t"), List.of("ünïcode ☃"));
    assertThat(Records.decode(Records.encode(records))).isEqualTo(records);
  }

  @Test
  void chunksStayUnderTheClassFileLimitAndJoinBack() {
    String text = "☃".repeat(50_000) + "x".repeat(70_000) + "\uD83D\uDE00".repeat(30_000);
    List<String> chunks = Records.chunks(text);
    assertThat(chunks.size()).isGreaterThan(3);
    for (String chunk : chunks) {
      int bytes = 0;
      for (char c : chunk.toCharArray()) {
        bytes += c != 0 && c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      }
      assertThat(bytes).isAtMost(Records.CHUNK_BYTES);
      assertThat(Character.isHighSurrogate(chunk.charAt(chunk.length() - 1))).isFalse();
    }
    assertThat(String.join("", chunks)).isEqualTo(text);
  }

  @Test
  void malformedTextIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Records.decode("a\\q\n"));
    assertThrows(IllegalArgumentException.class, () -> Records.decode("a\tb"));
    assertThrows(IllegalArgumentException.class, () -> Records.decode("a\\"));
  }

  @Test
  void graphRoundTripsThroughItsText() {
    Graph graph =
        new Graph(
            List.of(
                GraphNode.of("x", Op.PLACEHOLDER, "x"),
                GraphNode.of("scale", Op.GET_ATTR, "block.scale"),
                GraphNode.of("odd\tname", Op.CALL_MODULE, "odd\tname", 0),
                GraphNode.of("mul", Op.CALL_FUNCTION, "mul", 1, 2),
                GraphNode.of("size", Op.CALL_METHOD, "size", 3)),
            3);
    assertThat(Graph.decode(Records.chunks(graph.encode()).toArray(String[]::new)))
        .isEqualTo(graph);
  }

  @Test
  void graphReturningSeveralTensorsRoundTrips() {
    Graph graph =
        new Graph(
            List.of(
                GraphNode.of("x", Op.PLACEHOLDER, "x"),
                GraphNode.of("aux", Op.CALL_MODULE, "aux", 0),
                GraphNode.of("fc", Op.CALL_MODULE, "fc", 0)),
            List.of(2, 1));
    Graph decoded = Graph.decode(Records.chunks(graph.encode()).toArray(String[]::new));
    assertThat(decoded).isEqualTo(graph);
    assertThat(decoded.outputs()).containsExactly(2, 1).inOrder();
    assertThrows(
        IllegalArgumentException.class, () -> new Graph(graph.nodes(), List.<Integer>of()));
    assertThrows(IllegalArgumentException.class, () -> new Graph(graph.nodes(), List.of(0, 3)));
  }

  @Test
  void moduleTreeRoundTripsThroughItsText() {
    List<String> tree = List.of("conv1 torch::nn::Conv2dImpl", "odd\nname Module");
    assertThat(ModuleTreeSignature.decode(ModuleTreeSignature.encode(tree))).isEqualTo(tree);
  }

  @Test
  void liveTreeLeavesOutWhatIsInsideABuiltInLeaf() {
    assertThat(
            ModuleTreeSignature.of(
                List.of("attention", "attention.out_proj", "group", "group.fc", "fc"),
                List.of(
                    "torch::nn::MultiheadAttention",
                    "torch::nn::LinearImpl",
                    "torch::nn::Module",
                    "torch::nn::LinearImpl",
                    "torch::nn::LinearImpl")))
        .containsExactly(
            "attention torch::nn::MultiheadAttention",
            "group Module",
            "group.fc torch::nn::LinearImpl",
            "fc torch::nn::LinearImpl")
        .inOrder();
  }
}
