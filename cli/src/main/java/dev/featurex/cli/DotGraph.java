package dev.featurex.cli;

import dev.featurex.graph.Graph;
import dev.featurex.graph.GraphNode;
import java.util.List;
import java.util.Map;

/**
 * A traced graph as Graphviz DOT: one box per node (its name, and its op and target when they say
 * more than the name), an edge per input, the returned nodes into an {@code output} oval, and the
 * requested nodes filled and labelled with their key. Deterministic: same graph, same text.
 */
final class DotGraph {

  private static final String REQUESTED = "#ffd54f";

  private DotGraph() {}

  /**
   * The DOT text of {@code graph}, titled {@code title}, with the nodes of {@code requested} (node
   * name to key) highlighted.
   */
  static String of(String title, Graph graph, Map<String, String> requested) {
    StringBuilder dot = new StringBuilder();
    dot.append("digraph ").append(quote(title)).append(" {\n");
    dot.append("  rankdir=TB;\n");
    dot.append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f5f5f5\",")
        .append(" fontname=\"Helvetica\", fontsize=10];\n");
    dot.append("  edge [arrowsize=0.6];\n");
    List<GraphNode> nodes = graph.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      GraphNode node = nodes.get(i);
      StringBuilder label = new StringBuilder(node.name());
      String detail = detail(node);
      if (!detail.isEmpty()) {
        label.append('\n').append(detail);
      }
      dot.append("  n").append(i).append(" [label=");
      String key = requested.get(node.name());
      if (key != null) {
        if (!key.equals(node.name())) {
          label.append("\n=> ").append(key);
        }
        dot.append(quote(label.toString()))
            .append(", fillcolor=")
            .append(quote(REQUESTED))
            .append(", penwidth=2");
      } else {
        dot.append(quote(label.toString()));
        if (node.op() == GraphNode.Op.PLACEHOLDER) {
          dot.append(", shape=oval");
        }
      }
      dot.append("];\n");
    }
    for (int i = 0; i < nodes.size(); i++) {
      for (int input : nodes.get(i).inputs()) {
        dot.append("  n").append(input).append(" -> n").append(i).append(";\n");
      }
    }
    dot.append("  output [shape=oval, label=\"output\"];\n");
    for (int output : graph.outputs()) {
      dot.append("  n").append(output).append(" -> output;\n");
    }
    return dot.append("}\n").toString();
  }

  /** The op and target, when the name does not already say them. */
  private static String detail(GraphNode node) {
    return switch (node.op()) {
      case PLACEHOLDER -> "input";
      case CALL_MODULE -> node.target().equals(node.name()) ? "" : "module " + node.target();
      case GET_ATTR -> "attribute " + node.target();
      case CALL_FUNCTION, CALL_METHOD -> node.name().endsWith(node.target()) ? "" : node.target();
    };
  }

  /** A DOT string: quotes, backslashes escaped; newlines as DOT's centred line breaks. */
  static String quote(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        default -> quoted.append(c);
      }
    }
    return quoted.append('"').toString();
  }
}
