package dev.featurex.graph;

import java.util.List;
import java.util.Objects;

/**
 * One node of a traced graph, as torch.fx records it.
 *
 * @param name the torchvision node name ({@code layer1.0.relu_1}), unique within its graph
 * @param op what the node does
 * @param target the module's qualified name for {@link Op#CALL_MODULE}, the parameter's or buffer's
 *     qualified name for {@link Op#GET_ATTR}, the parameter name for {@link Op#PLACEHOLDER}, the
 *     method or operator name otherwise
 * @param inputs indices of the nodes whose values this node reads, ascending
 */
public record GraphNode(String name, Op op, String target, List<Integer> inputs) {

  /** The kinds of node: torch.fx's, without {@code output} (the output is never listed). */
  public enum Op {
    /** An input of {@code forward}. */
    PLACEHOLDER("placeholder"),
    /** A read of a registered parameter or buffer; the target is its qualified name. */
    GET_ATTR("get_attr"),
    /** A call of a leaf module's {@code forward}. */
    CALL_MODULE("call_module"),
    /** A static function ({@code torch.flatten}) or an operator on symbolic values. */
    CALL_FUNCTION("call_function"),
    /** A method of a symbolic value ({@code x.add(y)}, {@code x.size(0)}). */
    CALL_METHOD("call_method");

    private final String fxName;

    Op(String fxName) {
      this.fxName = fxName;
    }

    /** torch.fx's name of the op ({@code call_module}). */
    public String fxName() {
      return fxName;
    }

    /** The op of torch.fx's name {@code fxName}. */
    public static Op ofFxName(String fxName) {
      for (Op op : values()) {
        if (op.fxName.equals(fxName)) {
          return op;
        }
      }
      throw new IllegalArgumentException("not a node op: " + fxName);
    }
  }

  /** The target of a guard: torch.fx's name for an assertion ({@code torch._assert}). */
  public static final String GUARD = "_assert";

  /**
   * Whether this node is a guard: a check the model makes on its input ({@code if (h != size) throw
   * ...}), which computes nothing but must run.
   */
  public boolean isGuard() {
    return op == Op.CALL_FUNCTION && target.equals(GUARD);
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
