package dev.featurex.graph;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A traced graph: nodes in execution order (placeholders first), and the node whose value {@code
 * forward} returns. The output itself is not a node, as in torchvision's lists.
 *
 * @param nodes the nodes, in execution order; each reads only earlier nodes
 * @param output the index of the node {@code forward} returns
 */
public record Graph(List<GraphNode> nodes, int output) {

  /** Validates: inputs point backwards, names are unique, output is a node. */
  public Graph {
    nodes = List.copyOf(nodes);
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < nodes.size(); i++) {
      GraphNode node = nodes.get(i);
      if (!seen.add(node.name())) {
        throw new IllegalArgumentException("duplicate node name " + node.name());
      }
      for (int input : node.inputs()) {
        if (input < 0 || input >= i) {
          throw new IllegalArgumentException("node " + node.name() + " reads node " + input);
        }
      }
    }
    if (output < 0 || output >= nodes.size()) {
      throw new IllegalArgumentException("output " + output + " is not a node");
    }
  }

  /** The node names in execution order: torchvision's {@code get_graph_node_names} list. */
  public List<String> names() {
    List<String> names = new ArrayList<>(nodes.size());
    for (GraphNode node : nodes) {
      names.add(node.name());
    }
    return names;
  }

  /** The number of placeholders (inputs of {@code forward}). */
  public int inputCount() {
    int count = 0;
    for (GraphNode node : nodes) {
      if (node.op() == GraphNode.Op.PLACEHOLDER) {
        count++;
      }
    }
    return count;
  }

  /**
   * The nodes needed to compute {@code wanted}, in execution order: the wanted nodes and everything
   * they read, transitively; nothing after the last wanted node, no unused branch.
   */
  public int[] plan(int... wanted) {
    BitSet needed = new BitSet(nodes.size());
    for (int w : wanted) {
      needed.set(w);
    }
    for (int i = nodes.size() - 1; i >= 0; i--) {
      if (needed.get(i)) {
        for (int input : nodes.get(i).inputs()) {
          needed.set(input);
        }
      }
    }
    return needed.stream().toArray();
  }
}
