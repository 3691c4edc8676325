package dev.featurex.graph;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.graph.GraphNode.Op;
import dev.featurex.graph.InferencePlan.Options;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InferencePlanTest {

  /**
   * A residual block as the samples' BasicBlock traces it, then a flatten (a view) and a relu of
   * that view, and a node nothing is known about that reads the flatten.
   */
  private static final List<GraphNode> NODES =
      List.of(
          GraphNode.of("x", Op.PLACEHOLDER, "x"), // 0
          GraphNode.of("conv1", Op.CALL_MODULE, "conv1", 0), // 1
          GraphNode.of("bn1", Op.CALL_MODULE, "bn1", 1), // 2
          GraphNode.of("relu", Op.CALL_MODULE, "relu", 2), // 3
          GraphNode.of("conv2", Op.CALL_MODULE, "conv2", 3), // 4
          GraphNode.of("bn2", Op.CALL_MODULE, "bn2", 4), // 5
          GraphNode.of("add", Op.CALL_METHOD, "add", 3, 5), // 6: bn2.add(relu)
          GraphNode.of("relu_1", Op.CALL_MODULE, "relu", 6), // 7
          GraphNode.of("flatten", Op.CALL_FUNCTION, "flatten", 7), // 8
          GraphNode.of("relu_2", Op.CALL_METHOD, "relu", 8), // 9
          GraphNode.of("leaf", Op.CALL_MODULE, "leaf", 8)); // 10

  private static final List<NodeTraits> TRAITS =
      List.of(
          NodeTraits.BORROWED,
          NodeTraits.ofModule("Conv2dImpl", 0),
          NodeTraits.ofModule("BatchNorm2dImpl", 1),
          NodeTraits.ofModule("ReLUImpl", 2),
          NodeTraits.ofModule("Conv2dImpl", 3),
          NodeTraits.ofModule("BatchNorm2dImpl", 4),
          NodeTraits.owned(true).overwriting(5, 3),
          NodeTraits.ofModule("ReLUImpl", 6),
          NodeTraits.owned(false),
          NodeTraits.owned(true).overwriting(8),
          NodeTraits.UNKNOWN);

  private static Graph graph(int output) {
    return new Graph(NODES, output);
  }

  private static InferencePlan plan(Options options, int... outputs) {
    return InferencePlan.of(graph(outputs[outputs.length - 1]), TRAITS, outputs, options);
  }

  private static int step(InferencePlan plan, int node) {
    for (int k = 0; k < plan.size(); k++) {
      if (plan.node(k) == node) {
        return k;
      }
    }
    throw new AssertionError("node " + node + " is not a step");
  }

  private static List<Integer> freed(InferencePlan plan, int node) {
    return Arrays.stream(plan.freedAfter(step(plan, node))).boxed().sorted().toList();
  }

  @Test
  void batchNormsAbsorbTheConvolutionsBeforeThem() {
    InferencePlan plan = plan(Options.ALL, 9);
    assertThat(Arrays.stream(plan.steps()).boxed().toList())
        .containsExactly(2, 3, 5, 6, 7, 8, 9)
        .inOrder();
    assertThat(plan.foldedConvolution(step(plan, 2))).isEqualTo(1);
    assertThat(plan.foldedConvolution(step(plan, 5))).isEqualTo(4);
    assertThat(plan.inputs(step(plan, 2))).asList().containsExactly(0); // the convolution's input
    assertThat(plan.folds()).hasSize(2);
  }

  @Test
  void aRequestedConvolutionIsNotFolded() {
    InferencePlan plan = plan(Options.ALL, 1, 9);
    assertThat(plan.foldedConvolution(step(plan, 2))).isEqualTo(-1);
    assertThat(plan.foldedConvolution(step(plan, 5))).isEqualTo(4);
  }

  @Test
  void aConvolutionReadTwiceIsNotFolded() {
    List<GraphNode> nodes = new ArrayList<>(NODES.subList(0, 3));
    nodes.add(GraphNode.of("add", Op.CALL_METHOD, "add", 1, 2));
    List<NodeTraits> traits = new ArrayList<>(TRAITS.subList(0, 3));
    traits.add(NodeTraits.owned(true));
    InferencePlan plan = InferencePlan.of(new Graph(nodes, 3), traits, new int[] {3}, Options.ALL);
    assertThat(plan.folds()).isEmpty();
  }

  @Test
  void activationsAndAddsOverwriteInputsNothingElseReads() {
    InferencePlan plan = plan(Options.ALL, 9);
    assertThat(plan.overwritten(step(plan, 3))).isEqualTo(2); // relu into bn1
    // add prefers bn2, which it alone reads; relu is read by conv2 as well.
    assertThat(plan.overwritten(step(plan, 6))).isEqualTo(5);
    assertThat(plan.overwritten(step(plan, 7))).isEqualTo(6); // relu_1 into the add's storage
  }

  @Test
  void aRequestedValueIsNeverOverwritten() {
    InferencePlan plan = plan(Options.ALL, 2, 5, 9);
    assertThat(plan.overwritten(step(plan, 3))).isEqualTo(-1);
    // bn2 is requested: the add may still write into relu if nothing else reads it, but conv2 does.
    assertThat(plan.overwritten(step(plan, 6))).isEqualTo(-1);
    assertThat(plan.overwritten(step(plan, 7))).isEqualTo(6);
  }

  @Test
  void aValueReadLaterIsNeverOverwritten() {
    // Without folding, conv2 reads relu; the add reads relu too, so it writes into bn2.
    InferencePlan plan = plan(new Options(false, true, false), 9);
    assertThat(plan.overwritten(step(plan, 6))).isEqualTo(5);
    // The same block with bn2 read by another node as well: the add writes into neither operand.
    List<GraphNode> nodes = new ArrayList<>(NODES.subList(0, 8));
    nodes.add(GraphNode.of("mul", Op.CALL_METHOD, "mul", 5, 7));
    List<NodeTraits> traits = new ArrayList<>(TRAITS.subList(0, 8));
    traits.add(NodeTraits.owned(true));
    InferencePlan shared =
        InferencePlan.of(new Graph(nodes, 8), traits, new int[] {8}, Options.ALL);
    assertThat(shared.overwritten(step(shared, 6))).isEqualTo(-1);
    // The add's own result is new storage that relu_1 alone reads.
    assertThat(shared.overwritten(step(shared, 7))).isEqualTo(6);
  }

  @Test
  void viewsAndInputsAreNeverOverwritten() {
    InferencePlan plan = plan(Options.ALL, 9);
    assertThat(plan.overwritten(step(plan, 9))).isEqualTo(-1); // relu of a flatten's view
    List<GraphNode> nodes = List.of(NODES.get(0), GraphNode.of("relu", Op.CALL_METHOD, "relu", 0));
    InferencePlan onInput =
        InferencePlan.of(
            new Graph(nodes, 1),
            List.of(NodeTraits.BORROWED, NodeTraits.owned(true).overwriting(0)),
            new int[] {1},
            Options.ALL);
    assertThat(onInput.overwritten(0)).isEqualTo(-1);
  }

  @Test
  void valuesAreFreedAfterTheirLastReader() {
    InferencePlan plan = plan(Options.ALL, 9);
    // bn1 and relu share bn1's object; conv2 (folded into bn2) and the add read it.
    assertThat(freed(plan, 5)).isEmpty();
    assertThat(freed(plan, 6)).containsExactly(2, 3);
    // bn2, add and relu_1 share one object, read last by flatten.
    assertThat(freed(plan, 8)).containsExactly(5, 6, 7);
    assertThat(freed(plan, 9)).containsExactly(8);
    for (int k = 0; k < plan.size(); k++) {
      assertThat(plan.freedAfter(k)).asList().containsNoneOf(0, 9); // the input, the output
    }
  }

  @Test
  void anAliasKeepsWhatItReadsAlive() {
    InferencePlan plan = plan(Options.ALL, 9, 10);
    // leaf (nothing known: it may return flatten's object) is requested, so flatten is never freed.
    for (int k = 0; k < plan.size(); k++) {
      assertThat(plan.freedAfter(k)).asList().containsNoneOf(8, 10);
    }
  }

  @Test
  void noOptionsOrNoTraitsGiveThePlainPlan() {
    for (InferencePlan plan :
        List.of(
            plan(Options.NONE, 9),
            InferencePlan.of(graph(9), List.of(), new int[] {9}, Options.ALL))) {
      assertThat(plan.isPlain()).isTrue();
      int[] expected = Arrays.stream(graph(9).plan(9)).filter(i -> i != 0).toArray();
      assertThat(plan.steps()).isEqualTo(expected);
    }
  }

  @Test
  void traitsMustCoverTheGraph() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> InferencePlan.of(graph(9), TRAITS.subList(0, 3), new int[] {9}, Options.ALL));
    assertThat(e).hasMessageThat().contains("3 node traits for a graph of 11 nodes");
  }

  @Test
  void traitsSurviveTheirTextForm() {
    assertThat(NodeTraits.decode(Records.chunks(NodeTraits.encode(TRAITS)).toArray(new String[0])))
        .containsExactlyElementsIn(TRAITS)
        .inOrder();
    assertThrows(IllegalArgumentException.class, () -> NodeTraits.decode("OWNED\tmaybe\tNONE\t\n"));
  }
}
