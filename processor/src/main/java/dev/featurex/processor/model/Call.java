package dev.featurex.processor.model;

import dev.featurex.graph.GraphNode;
import java.util.ArrayList;
import java.util.List;

/** The Java behind a node: what generated code calls to compute it. */
public sealed interface Call {

  /** torch.fx's op of a node made by this call. */
  GraphNode.Op op();

  /** {@code visitor}'s method for this kind of call. */
  <R> R accept(Visitor<R> visitor);

  /** One method per kind of call: a new kind does not compile until every visitor handles it. */
  interface Visitor<R> {
    /** An input. */
    R parameter(Parameter call);

    /** A parameter read. */
    R getAttr(GetAttr call);

    /** A leaf module call. */
    R moduleCall(ModuleCall call);

    /** A method of a traced value. */
    R methodCall(MethodCall call);

    /** A static function. */
    R functionCall(FunctionCall call);

    /** A Java operator. */
    R operatorCall(OperatorCall call);

    /** A check on the input. */
    R guard(Guard call);
  }

  /** The nodes the call reads, in order of appearance (repeats kept). */
  default List<Integer> inputs() {
    return List.of();
  }

  /** The {@code index}-th parameter of {@code forward}. */
  record Parameter(int index) implements Call {
    @Override
    public GraphNode.Op op() {
      return GraphNode.Op.PLACEHOLDER;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.parameter(this);
    }
  }

  /**
   * A registered parameter or buffer of a module, read from the live model.
   *
   * @param qualifiedName its name in {@code named_parameters()} / {@code named_buffers()} ({@code
   *     features.1.0.layer_scale})
   * @param buffer whether it is a buffer (else a parameter)
   */
  record GetAttr(String qualifiedName, boolean buffer) implements Call {
    @Override
    public GraphNode.Op op() {
      return GraphNode.Op.GET_ATTR;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.getAttr(this);
    }
  }

  /**
   * {@code module.forward(args)} on a leaf module.
   *
   * @param path the module's qualified name
   * @param moduleType the module's Java class ({@link TypeNames})
   * @param access how generated code reaches the module
   */
  record ModuleCall(String path, String moduleType, LeafAccess access, List<Arg> args)
      implements Call {
    /** Copies the arguments. */
    public ModuleCall {
      args = List.copyOf(args);
    }

    @Override
    public GraphNode.Op op() {
      return GraphNode.Op.CALL_MODULE;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.moduleCall(this);
    }

    @Override
    public List<Integer> inputs() {
      List<Integer> nodes = new ArrayList<>();
      Arg.collectNodes(args, nodes);
      return nodes;
    }
  }

  /** {@code receiver.method(args)} on a traced value. */
  record MethodCall(Arg receiver, String method, List<Arg> args) implements Call {
    /** Copies the arguments. */
    public MethodCall {
      args = List.copyOf(args);
    }

    @Override
    public GraphNode.Op op() {
      return GraphNode.Op.CALL_METHOD;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.methodCall(this);
    }

    @Override
    public List<Integer> inputs() {
      List<Integer> nodes = new ArrayList<>();
      receiver.collectNodes(nodes);
      Arg.collectNodes(args, nodes);
      return nodes;
    }
  }

  /** {@code owner.method(args)}: a static function such as {@code torch.flatten}. */
  record FunctionCall(String owner, String method, List<Arg> args) implements Call {
    /** Copies the arguments. */
    public FunctionCall {
      args = List.copyOf(args);
    }

    @Override
    public GraphNode.Op op() {
      return GraphNode.Op.CALL_FUNCTION;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.functionCall(this);
    }

    @Override
    public List<Integer> inputs() {
      List<Integer> nodes = new ArrayList<>();
      Arg.collectNodes(args, nodes);
      return nodes;
    }
  }

  /** A Java operator on traced values: {@code a op b}, or {@code op a}. */
  record OperatorCall(Operator operator, List<Arg> operands) implements Call {
    /** Copies the operands. */
    public OperatorCall {
      operands = List.copyOf(operands);
    }

    @Override
    public GraphNode.Op op() {
      return GraphNode.Op.CALL_FUNCTION;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.operatorCall(this);
    }

    @Override
    public List<Integer> inputs() {
      List<Integer> nodes = new ArrayList<>();
      Arg.collectNodes(operands, nodes);
      return nodes;
    }
  }

  /**
   * A check the model makes on its input: {@code if (condition) throw exception}, as {@code
   * forward} wrote it ({@code if (h != imageSize) throw new IllegalArgumentException("..." + h)}).
   * Its node is torch.fx's {@code _assert}; its value is {@code true}.
   *
   * @param condition the traced condition that fails the check
   * @param exception how to make the exception ({@code new IllegalArgumentException(message)})
   */
  record Guard(Arg condition, Arg.NewObject exception) implements Call {
    @Override
    public GraphNode.Op op() {
      return GraphNode.Op.CALL_FUNCTION;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.guard(this);
    }

    @Override
    public List<Integer> inputs() {
      List<Integer> nodes = new ArrayList<>();
      condition.collectNodes(nodes);
      exception.collectNodes(nodes);
      return nodes;
    }
  }
}
