package dev.featurex.graph;

import java.util.List;
import java.util.Objects;

/**
 * One node of a traced graph, as torch.fx records it.
 *
 * @param name the torchvision node name ({@code layer1.0.relu_1}), unique within its graph
 * @param op what the node does
 * @param target the module's qualified name for {@link Op#CALL_MODULE}, the method or operator name
 *     otherwise, the parameter name for {@link Op#PLACEHOLDER}
 * @param inputs indices of the nodes whose values this node reads, ascending
 */
public record GraphNode(String name, Op op, String target, List<Integer> inputs) {

  /** The kinds of node: torch.fx's, without {@code get_attr} and {@code output}. */
  public enum Op {
    /** An input of {@code forward}. */
    PLACEHOLDER,
    /** A call of a leaf module's {@code forward}. */
    CALL_MODULE,
    /** A static function ({@code torch.flatten}) or an operator on symbolic values. */
    CALL_FUNCTION,
    /** A method of a symbolic value ({@code x.add(y)}, {@code x.size(0)}). */
    CALL_METHOD
  }

  /** Validates and copies. */
  public GraphNode {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(target, "target");
    inputs = List.copyOf(inputs);
  }

  /** Shorthand for generated code. */
  public static GraphNode of(String name, Op op, String target, int... inputs) {
    return new GraphNode(name, op, target, java.util.Arrays.stream(inputs).boxed().toList());
  }
}
