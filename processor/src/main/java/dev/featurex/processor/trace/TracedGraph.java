package dev.featurex.processor.trace;

import dev.featurex.graph.Graph;
import dev.featurex.graph.GraphNode;
import java.util.List;

/**
 * One traced graph with its code: the nodes in execution order and the node {@code forward}
 * returns.
 */
public record TracedGraph(List<TracedNode> nodes, int output) {

  /** Copies the node list. */
  public TracedGraph {
    nodes = List.copyOf(nodes);
  }

  /** The runtime's view: names, ops, targets, inputs. */
  public Graph graph() {
    List<GraphNode> plain = nodes.stream().map(TracedNode::node).toList();
    return new Graph(plain, output);
  }

  /** The node names in execution order. */
  public List<String> names() {
    return nodes.stream().map(n -> n.node().name()).toList();
  }
}
