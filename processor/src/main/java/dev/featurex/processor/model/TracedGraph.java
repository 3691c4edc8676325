package dev.featurex.processor.model;

import dev.featurex.graph.Graph;
import java.util.List;

/**
 * One traced graph with its code: the nodes in execution order and the nodes {@code forward}
 * returns (one tensor, or the tensors of the record or list it returns).
 */
public record TracedGraph(List<TracedNode> nodes, List<Integer> outputs) {

  /** Copies the lists. */
  public TracedGraph {
    nodes = List.copyOf(nodes);
    outputs = List.copyOf(outputs);
  }

  /** The shared graph model's view: names, ops, targets, inputs. */
  public Graph graph() {
    return new Graph(nodes.stream().map(TracedNode::node).toList(), outputs);
  }

  /** The node names in execution order. */
  public List<String> names() {
    return nodes.stream().map(TracedNode::name).toList();
  }

  /** The node at {@code index}. */
  public TracedNode node(int index) {
    return nodes.get(index);
  }
}
