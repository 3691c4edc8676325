package dev.featurex.runtime.execute;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.graph.Graph;
import dev.featurex.graph.GraphNode;
import dev.featurex.graph.GraphNode.Op;
import dev.featurex.graph.NodeTraits;
import dev.featurex.graph.ReturnNodes.Selection;
import dev.featurex.runtime.Optimization;
import dev.featurex.runtime.internal.GraphProgram;
import dev.featurex.runtime.internal.InPlace;
import dev.featurex.runtime.internal.Optimizations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** The executor's inference plan: frees after the last use, writes in place, keeps what it must. */
class InferenceExecutionTest {

  /** x; a = 2x; b = relu(a); c = b + 1; d = -c; e = a view of x. */
  private static final Graph GRAPH =
      new Graph(
          List.of(
              GraphNode.of("x", Op.PLACEHOLDER, "x"),
              GraphNode.of("a", Op.CALL_METHOD, "mul", 0),
              GraphNode.of("b", Op.CALL_METHOD, "relu", 1),
              GraphNode.of("c", Op.CALL_METHOD, "add", 2),
              GraphNode.of("d", Op.CALL_METHOD, "neg", 3),
              GraphNode.of("e", Op.CALL_METHOD, "view", 0)),
          4);

  private static final List<NodeTraits> TRAITS =
      List.of(
          NodeTraits.BORROWED,
          NodeTraits.owned(true),
          NodeTraits.owned(true).overwriting(1),
          NodeTraits.owned(true),
          NodeTraits.owned(true),
          NodeTraits.owned(false));

  /**
   * Computes GRAPH's nodes, remembering the value each node made; when it computes {@code d}, it
   * records which earlier values were already freed.
   */
  private static final class Program implements GraphProgram {
    final Map<Integer, Tensor> made = new HashMap<>();
    final List<Integer> freedBeforeD = new ArrayList<>();
    final List<Integer> inPlace = new ArrayList<>();

    @Override
    public Object compute(int node, Object[] v) {
      if (node == 4) {
        made.forEach(
            (n, t) -> {
              if (t.isNull()) {
                freedBeforeD.add(n);
              }
            });
      }
      Tensor t = (Tensor) v[0];
      Tensor value =
          switch (node) {
            case 1 -> t.mul(new Scalar(2.0));
            case 2 -> t.relu();
            case 3 -> t.add(new Scalar(1.0));
            case 4 -> t.neg();
            case 5 -> t.view(-1);
            default -> throw new AssertionError(node);
          };
      made.put(node, value);
      return value;
    }

    @Override
    public Object computeInPlace(int node, int overwritten, Object[] v) {
      inPlace.add(node);
      made.put(node, (Tensor) v[0]);
      return InPlace.relu((Tensor) v[0]);
    }

    @Override
    public List<NodeTraits> traits() {
      return TRAITS;
    }
  }

  private static GraphExecutor executor(Set<Optimization> optimizations, int... nodes) {
    List<Selection> selections = new ArrayList<>();
    for (int node : nodes) {
      String name = GRAPH.nodes().get(node).name();
      selections.add(new Selection(name, name, node));
    }
    return new GraphExecutor(GRAPH, selections, TRAITS, Optimizations.of(optimizations));
  }

  @SuppressWarnings("try") // a NoGradGuard works by being open, never named
  @Test
  void valuesAreFreedAfterTheirLastUseAndInputsAndResultsKept() {
    try (NoGradGuard noGrad = new NoGradGuard()) {
      Tensor x = torch.arange(new Scalar(-2), new Scalar(3)).to(torch.ScalarType.Float);
      Program program = new Program();
      GraphExecutor executor = executor(Optimization.defaults(), 4);
      Tensor[] out = executor.execute(program, executor.bind(program), x);
      // a (overwritten by b) and b are one tensor, last read by c; c is read by d itself.
      assertThat(program.freedBeforeD).containsExactly(1, 2);
      assertThat(program.inPlace).containsExactly(2);
      assertThat(x.isNull()).isFalse();
      assertThat(
              torch.equal(
                  x, torch.arange(new Scalar(-2), new Scalar(3)).to(torch.ScalarType.Float)))
          .isTrue();
      Tensor expected = x.mul(new Scalar(2.0)).relu().add(new Scalar(1.0)).neg();
      assertThat(torch.equal(out[0], expected)).isTrue();
      assertThat(out[0].referenceCount()).isEqualTo(1);
    }
  }

  @SuppressWarnings("try") // a NoGradGuard works by being open, never named
  @Test
  void aRequestedValueIsNotOverwrittenNorFreed() {
    try (NoGradGuard noGrad = new NoGradGuard()) {
      Tensor x = torch.arange(new Scalar(-2), new Scalar(3)).to(torch.ScalarType.Float);
      Program program = new Program();
      GraphExecutor executor = executor(Optimization.defaults(), 1, 4);
      Tensor[] out = executor.execute(program, executor.bind(program), x);
      assertThat(program.inPlace).isEmpty();
      assertThat(program.freedBeforeD).containsExactly(2); // b only: a is returned
      assertThat(torch.equal(out[0], x.mul(new Scalar(2.0)))).isTrue(); // negatives kept
    }
  }

  @Test
  void withGradientsRecordedThePlainPlanRuns() {
    Tensor x = torch.arange(new Scalar(-2), new Scalar(3)).to(torch.ScalarType.Float);
    Program program = new Program();
    GraphExecutor executor = executor(Optimization.all(), 4);
    Tensor[] out = executor.execute(program, executor.bind(program), x);
    assertThat(program.inPlace).isEmpty();
    assertThat(program.freedBeforeD).isEmpty();
    assertThat(torch.equal(out[0], x.mul(new Scalar(2.0)).relu().add(new Scalar(1.0)).neg()))
        .isTrue();
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void noOptimizationsMeansThePlainPlanAndInputsAreChecked() {
    try (NoGradGuard noGrad = new NoGradGuard();
        PointerScope scope = new PointerScope()) {
      Tensor x = torch.ones(3);
      Program program = new Program();
      GraphExecutor plain = executor(Optimization.none(), 4);
      assertThat(plain.inferencePlan().isPresent()).isFalse();
      plain.execute(program, plain.bind(program), x);
      assertThat(program.freedBeforeD).isEmpty();
      GraphExecutor optimized = executor(Optimization.all(), 4);
      assertThat(optimized.bind(program).folds()).isEqualTo(0);
      assertThrows(
          IllegalArgumentException.class,
          () -> optimized.execute(program, optimized.bind(program), new Tensor[0]));
    }
  }
}
