package dev.featurex.processor.trace;

import dev.featurex.graph.GraphNode;
import dev.featurex.graph.NodeNamer;
import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's {@code NodePathTracer}, for Java: records the nodes of one trace in execution order
 * and names each from the qualified name of the module whose {@code forward} runs ({@link
 * NodeNamer}).
 */
public final class NodePathTracer {

  private final boolean training;
  private final NodeNamer namer = new NodeNamer();
  private final List<TracedNode> nodes = new ArrayList<>();

  NodePathTracer(boolean training) {
    this.training = training;
  }

  /** The value of {@code is_training()} in this trace. */
  boolean training() {
    return training;
  }

  /** The nodes so far. */
  List<TracedNode> nodes() {
    return List.copyOf(nodes);
  }

  int placeholder(String parameter, int index, String javaType) {
    return add(
        namer.op("", parameter),
        GraphNode.Op.PLACEHOLDER,
        parameter,
        new TracedNode.Parameter(index),
        javaType);
  }

  int moduleCall(TracedNode.ModuleCall call, String javaType) {
    return add(
        namer.moduleCall(call.path()), GraphNode.Op.CALL_MODULE, call.path(), call, javaType);
  }

  int methodCall(String scope, TracedNode.MethodCall call, String javaType) {
    return add(
        namer.op(scope, call.method()), GraphNode.Op.CALL_METHOD, call.method(), call, javaType);
  }

  int functionCall(String scope, TracedNode.FunctionCall call, String javaType) {
    return add(
        namer.op(scope, call.method()), GraphNode.Op.CALL_FUNCTION, call.method(), call, javaType);
  }

  int operator(String scope, String pythonName, TracedNode.Operator call, String javaType) {
    return add(namer.op(scope, pythonName), GraphNode.Op.CALL_FUNCTION, pythonName, call, javaType);
  }

  private int add(
      String name, GraphNode.Op op, String target, TracedNode.Call call, String javaType) {
    List<Integer> inputs = new ArrayList<>();
    if (call instanceof TracedNode.ModuleCall m) {
      m.args().forEach(a -> a.collectNodes(inputs));
    } else if (call instanceof TracedNode.MethodCall m) {
      m.receiver().collectNodes(inputs);
      m.args().forEach(a -> a.collectNodes(inputs));
    } else if (call instanceof TracedNode.FunctionCall f) {
      f.args().forEach(a -> a.collectNodes(inputs));
    } else if (call instanceof TracedNode.Operator o) {
      o.left().collectNodes(inputs);
      if (o.right() != null) {
        o.right().collectNodes(inputs);
      }
    }
    List<Integer> sorted = inputs.stream().distinct().sorted().toList();
    nodes.add(new TracedNode(new GraphNode(name, op, target, sorted), call, javaType));
    return nodes.size() - 1;
  }
}
