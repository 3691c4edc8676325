package dev.featurex.runtime.trace;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.graph.Graph;
import dev.featurex.graph.GraphNode;
import dev.featurex.graph.ModuleTypes;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tracing described trees: the naming and leaf rules, without libtorch. */
class NodePathTracerTest {

  private static final String SEQ = NativeModule.SEQUENTIAL;

  private static NativeModule leaf(String path, String simpleType) {
    return NativeModule.leaf(path, "torch::nn::" + simpleType + "Impl");
  }

  /** features = Sequential(conv, relu, Sequential(conv, relu), pool), as VGG's blocks nest. */
  private static NativeModule nested() {
    return new NativeModule(
        "",
        SEQ,
        List.of(
            leaf("0", "Conv2d"),
            leaf("1", "ReLU"),
            new NativeModule("2", SEQ, List.of(leaf("2.0", "Conv2d"), leaf("2.1", "ReLU"))),
            leaf("3", "MaxPool2d")));
  }

  @Test
  void nestedSequentialsAreTracedThroughWithQualifiedNames() {
    Graph graph = new NodePathTracer(Set.of()).trace(nested());

    assertThat(graph.names()).containsExactly("x", "0", "1", "2.0", "2.1", "3").inOrder();
    assertThat(graph.nodes().get(0).op()).isEqualTo(GraphNode.Op.PLACEHOLDER);
    for (int i = 1; i < graph.nodes().size(); i++) {
      GraphNode node = graph.nodes().get(i);
      assertThat(node.op()).isEqualTo(GraphNode.Op.CALL_MODULE);
      assertThat(node.target()).isEqualTo(node.name());
      assertThat(node.inputs()).containsExactly(i - 1);
    }
    assertThat(graph.outputs()).containsExactly(5);
  }

  @Test
  void listedTypeBecomesALeaf() {
    NativeModule inner = nested().sequence().get(2);
    assertThat(new LeafModuleAwareTracer(Set.of()).isLeafModule(inner)).isFalse();
    assertThat(new LeafModuleAwareTracer(Set.of(SEQ)).isLeafModule(inner)).isTrue();

    // The root is traced through even when its type is listed, as torch.fx never makes it a leaf.
    Graph graph = new NodePathTracer(Set.of(SEQ)).trace(nested());
    assertThat(graph.names()).containsExactly("x", "0", "1", "2", "3").inOrder();
  }

  @Test
  void aModuleCalledTwiceGetsASuffix() {
    NativeModule root =
        new NativeModule(
            "", SEQ, List.of(leaf("0", "ReLU"), leaf("1", "Linear"), leaf("0", "ReLU")));
    assertThat(new NodePathTracer(Set.of()).trace(root).names())
        .containsExactly("x", "0", "1", "0_1")
        .inOrder();
  }

  @Test
  void emptySequentialReturnsItsInput() {
    Graph graph = new NodePathTracer(Set.of()).trace(new NativeModule("", SEQ, List.of()));
    assertThat(graph.names()).containsExactly("x");
    assertThat(graph.outputs()).containsExactly(0);
  }

  @Test
  void builtInLeavesExcludeContainers() {
    assertThat(ModuleTypes.isBuiltInLeaf("torch::nn::Conv2dImpl")).isTrue();
    assertThat(ModuleTypes.isBuiltInLeaf("torch::nn::SequentialImpl")).isFalse();
    assertThat(ModuleTypes.isBuiltInLeaf("torch::nn::ModuleListImpl")).isFalse();
    assertThat(ModuleTypes.isBuiltInLeaf("torch::nn::ModuleDictImpl")).isFalse();
    assertThat(ModuleTypes.isBuiltInLeaf("Module")).isFalse();
  }

  @Test
  void aModuleListInsideIsRejectedWithTheWayOut() {
    NativeModule root =
        new NativeModule(
            "",
            SEQ,
            List.of(leaf("0", "ReLU"), NativeModule.leaf("1", "torch::nn::ModuleListImpl")));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new NodePathTracer(Set.of()).trace(root));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "module \"1\" (torch::nn::ModuleListImpl) cannot be traced at run time: it is not a leaf"
                + " and has no forward that calls its children in order; make it a leaf of a Java"
                + " model annotated with @dev.featurex.annotations.Traceable");
  }

  @Test
  void aRootThatIsNotASequentialIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new NodePathTracer(Set.of()).trace(leaf("", "Conv2d")));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "a torch::nn::Conv2dImpl cannot be traced at run time: only a SequentialImpl of built-in"
                + " modules can; for anything else write the model in Java, annotate it with"
                + " @dev.featurex.annotations.Traceable and recompile with the featurex processor");
  }
}
