package dev.featurex.processor.trace;

import dev.featurex.graph.GraphNode;
import dev.featurex.graph.NodeNamer;
import dev.featurex.processor.model.Call;
import dev.featurex.processor.model.TracedGraph;
import dev.featurex.processor.model.TracedNode;
import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's {@code NodePathTracer}, for Java: records the nodes of one trace in execution order
 * and names each with torchvision's rules ({@link NodeNamer}): a leaf call by the module's path,
 * anything else by the scope it runs in and its op.
 */
final class GraphRecorder {

  private final NodeNamer namer = new NodeNamer();
  private final List<TracedNode> nodes = new ArrayList<>();

  /** Records a node made by {@code call}; returns its index. */
  int record(String scope, String target, Call call, String javaType) {
    return record(scope, target, call, javaType, call.op());
  }

  /**
   * Records a node made by {@code call} that torch.fx records as {@code op} (indexing a traced
   * tuple: a Java method call, torch.fx's {@code operator.getitem}); returns its index.
   */
  int record(String scope, String target, Call call, String javaType, GraphNode.Op op) {
    String name =
        switch (op) {
          case PLACEHOLDER -> namer.op("", target);
          case CALL_MODULE -> namer.moduleCall(target);
          case GET_ATTR -> namer.op(scope, NodeNamer.attributeName(target));
          case CALL_FUNCTION, CALL_METHOD -> namer.op(scope, target);
        };
    List<Integer> inputs = call.inputs().stream().distinct().sorted().toList();
    nodes.add(new TracedNode(new GraphNode(name, op, target, inputs), call, javaType));
    return nodes.size() - 1;
  }

  /** The graph recorded, returning the nodes {@code outputs}. */
  TracedGraph graph(List<Integer> outputs) {
    return new TracedGraph(nodes, outputs);
  }
}
