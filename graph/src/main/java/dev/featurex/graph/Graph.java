package dev.featurex.graph;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A traced graph: nodes in execution order (placeholders first), and the nodes whose values {@code
 * forward} returns: one tensor, or the tensors of the record, object or list it returns
 * (GoogLeNet's outputs with the auxiliary logits in training), in the order of its components. The
 * output itself is not a node, as in torchvision's lists.
 *
 * @param nodes the nodes, in execution order; each reads only earlier nodes
 * @param outputs the indexes of the nodes {@code forward} returns, at least one
 */
public record Graph(List<GraphNode> nodes, List<Integer> outputs) {

  /** A graph whose {@code forward} returns the one tensor of node {@code output}. */
  public Graph(List<GraphNode> nodes, int output) {
    this(nodes, List.of(output));
  }

  /** Validates: inputs point backwards, names are unique, outputs are nodes. */
  public Graph {
    nodes = List.copyOf(nodes);
    outputs = List.copyOf(outputs);
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
    if (outputs.isEmpty()) {
      throw new IllegalArgumentException("a graph returns at least one node");
    }
    for (int output : outputs) {
      if (output < 0 || output >= nodes.size()) {
        throw new IllegalArgumentException("output " + output + " is not a node");
      }
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
   * they read, transitively; nothing after the last wanted node, no unused branch. Guards ({@link
   * GraphNode#isGuard}) before the last wanted node are kept, as torch.fx keeps its side-effecting
   * {@code _assert}: the checks the model makes on its input still run.
   */
  public int[] plan(int... wanted) {
    BitSet needed = new BitSet(nodes.size());
    int last = -1;
    for (int w : wanted) {
      needed.set(w);
      last = Math.max(last, w);
    }
    for (int i = 0; i < last; i++) {
      if (nodes.get(i).isGuard()) {
        needed.set(i);
      }
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

  /**
   * This graph as text ({@link Records}): the outputs' indexes, then one record per node: name, op
   * (torch.fx's name), target, inputs. Generated code keeps graphs in this form.
   */
  public String encode() {
    List<List<String>> records = new ArrayList<>(nodes.size() + 1);
    records.add(outputs.stream().map(String::valueOf).toList());
    for (GraphNode node : nodes) {
      StringBuilder inputs = new StringBuilder();
      for (int input : node.inputs()) {
        inputs.append(inputs.length() == 0 ? "" : ",").append(input);
      }
      records.add(List.of(node.name(), node.op().fxName(), node.target(), inputs.toString()));
    }
    return Records.encode(records);
  }

  /**
   * The graph {@link #encode} wrote, from its text cut in {@link Records#chunks}.
   *
   * @throws IllegalArgumentException when the text is not a graph
   */
  public static Graph decode(String... chunks) {
    List<List<String>> records = Records.decode(chunks);
    if (records.isEmpty() || records.get(0).isEmpty()) {
      throw new IllegalArgumentException("not an encoded graph");
    }
    List<GraphNode> nodes = new ArrayList<>(records.size() - 1);
    for (List<String> record : records.subList(1, records.size())) {
      if (record.size() != 4) {
        throw new IllegalArgumentException("not an encoded node: " + record);
      }
      List<Integer> inputs = new ArrayList<>();
      if (!record.get(3).isEmpty()) {
        for (String input : record.get(3).split(",")) {
          inputs.add(Integer.parseInt(input));
        }
      }
      nodes.add(
          new GraphNode(
              record.get(0), GraphNode.Op.ofFxName(record.get(1)), record.get(2), inputs));
    }
    return new Graph(nodes, records.get(0).stream().map(Integer::valueOf).toList());
  }
}
