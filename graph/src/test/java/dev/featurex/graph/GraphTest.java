package dev.featurex.graph;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.graph.GraphNode.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphTest {

  /** x -> a -> b -> add(b, c) ; x -> c (a branch) ; add -> out. */
  private static final Graph GRAPH =
      new Graph(
          List.of(
              GraphNode.of("x", Op.PLACEHOLDER, "x"),
              GraphNode.of("a", Op.CALL_MODULE, "a", 0),
              GraphNode.of("b", Op.CALL_MODULE, "b", 1),
              GraphNode.of("c", Op.CALL_METHOD, "neg", 0),
              GraphNode.of("add", Op.CALL_FUNCTION, "add", 2, 3),
              GraphNode.of("out", Op.CALL_MODULE, "out", 4)),
          5);

  @Test
  void planKeepsWhatTheWantedNodesRead() {
    assertThat(GRAPH.plan(2)).asList().containsExactly(0, 1, 2).inOrder();
    assertThat(GRAPH.plan(3)).asList().containsExactly(0, 3).inOrder();
    assertThat(GRAPH.plan(4)).asList().containsExactly(0, 1, 2, 3, 4).inOrder();
  }

  @Test
  void namesAndInputs() {
    assertThat(GRAPH.names()).containsExactly("x", "a", "b", "c", "add", "out").inOrder();
    assertThat(GRAPH.inputCount()).isEqualTo(1);
  }

  @Test
  void inputsMustPointBackwards() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new Graph(
                    List.of(
                        GraphNode.of("x", Op.PLACEHOLDER, "x"),
                        GraphNode.of("a", Op.CALL_MODULE, "a", 1)),
                    1));
    assertThat(e).hasMessageThat().isEqualTo("node a reads node 1");
  }

  @Test
  void planKeepsGuardsBeforeTheLastWantedNode() {
    Graph graph =
        new Graph(
            List.of(
                GraphNode.of("x", Op.PLACEHOLDER, "x"),
                GraphNode.of("size", Op.CALL_METHOD, "size", 0),
                GraphNode.of("ne", Op.CALL_FUNCTION, "ne", 1),
                GraphNode.of("_assert", Op.CALL_FUNCTION, GraphNode.GUARD, 2),
                GraphNode.of("conv", Op.CALL_MODULE, "conv", 0),
                GraphNode.of("_assert_1", Op.CALL_FUNCTION, GraphNode.GUARD, 4)),
            4);
    assertThat(graph.plan(4)).asList().containsExactly(0, 1, 2, 3, 4).inOrder();
    assertThat(graph.nodes().get(3).isGuard()).isTrue();
    assertThat(graph.nodes().get(2).isGuard()).isFalse();
  }
}
