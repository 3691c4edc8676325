package dev.featurex.runtime.execute;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.graph.Graph;
import dev.featurex.graph.GraphNode;
import dev.featurex.graph.GraphNode.Op;
import dev.featurex.graph.ReturnNodes.Selection;
import dev.featurex.runtime.internal.GraphProgram;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class GraphExecutorTest {

  /**
   * x; a = 2x; b = a + 1; c = -x (a side branch); d = b + c; e = relu(d); n = a long; m = x * n.
   */
  private static final Graph GRAPH =
      new Graph(
          List.of(
              GraphNode.of("x", Op.PLACEHOLDER, "x"),
              GraphNode.of("a", Op.CALL_METHOD, "mul", 0),
              GraphNode.of("b", Op.CALL_METHOD, "add", 1),
              GraphNode.of("c", Op.CALL_METHOD, "neg", 0),
              GraphNode.of("d", Op.CALL_FUNCTION, "add", 2, 3),
              GraphNode.of("e", Op.CALL_METHOD, "relu", 4),
              GraphNode.of("n", Op.CALL_METHOD, "size", 0),
              GraphNode.of("m", Op.CALL_METHOD, "mul", 0, 6)),
          5);

  /** Computes GRAPH's nodes and records what it computed and created. */
  private static final class RecordingProgram implements GraphProgram {
    final List<Integer> computed = new ArrayList<>();
    final List<Tensor> created = new ArrayList<>();
    RuntimeException failAt3;

    @Override
    public Object compute(int node, Object[] values) {
      computed.add(node);
      if (node == 3 && failAt3 != null) {
        throw failAt3;
      }
      Object value =
          switch (node) {
            case 1 -> ((Tensor) values[0]).mul(new Scalar(2.0));
            case 2 -> ((Tensor) values[0]).add(new Scalar(1.0));
            case 3 -> ((Tensor) values[0]).neg();
            case 4 -> ((Tensor) values[0]).add((Tensor) values[1]);
            case 5 -> ((Tensor) values[0]).relu();
            case 6 -> ((Tensor) values[0]).size(0);
            case 7 -> ((Tensor) values[0]).mul(new Scalar((Long) values[1]));
            default -> throw new AssertionError(node);
          };
      if (value instanceof Tensor t) {
        created.add(t);
      }
      return value;
    }
  }

  private static GraphExecutor executor(Object... keyAndNode) {
    List<Selection> selections = new ArrayList<>();
    for (int i = 0; i < keyAndNode.length; i += 2) {
      String key = (String) keyAndNode[i];
      selections.add(new Selection(key, key, (Integer) keyAndNode[i + 1]));
    }
    return new GraphExecutor(GRAPH, selections);
  }

  @Test
  void prunedPlanComputesOnlyWhatTheSelectedNodesRead() {
    RecordingProgram program = new RecordingProgram();
    executor("b", 2).execute(program, torch.ones(3));
    assertThat(program.computed).containsExactly(1, 2).inOrder();

    RecordingProgram branch = new RecordingProgram();
    executor("c", 3).execute(branch, torch.ones(3));
    assertThat(branch.computed).containsExactly(3);
  }

  @Test
  void returnsSelectedTensorsUnderTheirKeysInSelectionOrder() {
    Tensor x = torch.arange(new Scalar(-2), new Scalar(3)).to(torch.ScalarType.Float);
    Map<String, Tensor> out = executor("fa", 1, "fd", 4).run(new RecordingProgram(), x);

    assertThat(out.keySet()).containsExactly("fa", "fd").inOrder();
    assertThat(torch.equal(out.get("fa"), x.mul(new Scalar(2.0)))).isTrue();
    assertThat(torch.equal(out.get("fd"), x.add(new Scalar(1.0)))).isTrue(); // 2x + 1 - x
  }

  @Test
  void intermediatesAreFreedAndResultsAndInputsKept() {
    Tensor x = torch.ones(4);
    RecordingProgram program = new RecordingProgram();
    Tensor[] results = executor("d", 4).execute(program, x);

    assertThat(program.created).hasSize(4);
    for (Tensor created : program.created) {
      assertThat(created.isNull()).isTrue();
    }
    assertThat(x.isNull()).isFalse();
    assertThat(results[0].isNull()).isFalse();
    assertThat(results[0].referenceCount()).isEqualTo(1);
    assertThat(torch.equal(results[0], torch.full(new long[] {4}, new Scalar(2.0)))).isTrue();
  }

  @SuppressWarnings("try") // a PointerScope works by being open, never named
  @Test
  void theCallersScopeOwnsTheResults() {
    Tensor x = torch.ones(2);
    Tensor result;
    try (PointerScope caller = new PointerScope()) {
      result = executor("a", 1).execute(new RecordingProgram(), x)[0];
      assertThat(result.referenceCount()).isEqualTo(1);
      assertThat(result.isNull()).isFalse();
    }
    assertThat(result.isNull()).isTrue();
    assertThat(x.isNull()).isFalse();
  }

  @Test
  void aReturnedInputIsANewHandleAndTheInputSurvivesItsRelease() {
    Tensor x = torch.ones(3);
    Tensor result = executor("x", 0).execute(new RecordingProgram(), x)[0];
    assertThat(result).isNotSameInstanceAs(x);
    result.releaseReference();
    assertThat(result.isNull()).isTrue();
    assertThat(x.isNull()).isFalse();
    assertThat(x.sum().item_float()).isEqualTo(3f);
  }

  @Test
  void aFailingNodeIsNamedAndItsCauseAttached() {
    RecordingProgram program = new RecordingProgram();
    program.failAt3 = new RuntimeException("boom\n  at some C++ frame");
    NodeExecutionException e =
        assertThrows(
            NodeExecutionException.class, () -> executor("e", 5).execute(program, torch.ones(2)));

    assertThat(e).hasMessageThat().isEqualTo("node \"c\" (call_method neg) failed: boom");
    assertThat(e.node()).isEqualTo("c");
    assertThat(e).hasCauseThat().isSameInstanceAs(program.failAt3);
    for (Tensor created : program.created) {
      assertThat(created.isNull()).isTrue();
    }
  }

  @Test
  void wrongInputsAreRejected() {
    GraphExecutor executor = executor("a", 1);
    IllegalArgumentException count =
        assertThrows(
            IllegalArgumentException.class,
            () -> executor.execute(new RecordingProgram(), torch.ones(1), torch.ones(1)));
    assertThat(count).hasMessageThat().isEqualTo("forward takes 1 input tensor(s) (x), got 2");
    IllegalArgumentException nul =
        assertThrows(
            IllegalArgumentException.class,
            () -> executor.execute(new RecordingProgram(), (Tensor) null));
    assertThat(nul).hasMessageThat().isEqualTo("input 0 (x) is null");
  }

  @Test
  void aNonTensorNodeCannotBeReturned() {
    NotATensorException e =
        assertThrows(
            NotATensorException.class,
            () -> executor("n", 6).execute(new RecordingProgram(), torch.ones(2)));
    assertThat(e.node()).isEqualTo("n");
    assertThat(e.readers()).containsExactly("m");
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "node \"n\" computes a java.lang.Long, not a Tensor: only tensor nodes can be returned;"
                + " request a node that reads it instead (m)");
  }

  @Test
  void keysMustBeUnique() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new GraphExecutor(
                    GRAPH, List.of(new Selection("k", "a", 1), new Selection("k", "b", 2))));
    assertThat(e).hasMessageThat().isEqualTo("the key \"k\" is used twice");
  }
}
