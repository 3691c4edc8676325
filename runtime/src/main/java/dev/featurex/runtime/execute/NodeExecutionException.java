package dev.featurex.runtime.execute;

import dev.featurex.graph.GraphNode;
import java.util.Locale;

/**
 * A node failed while an extractor ran its graph. The message names the node as {@code
 * get_graph_node_names} lists it, what the node does, and the first line of the cause's message
 * ({@code node "layer1.0.conv1" (call_module layer1.0.conv1) failed: Given groups=1, ...}); the
 * cause is attached, with its full message and stack.
 */
public final class NodeExecutionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The name of the node that failed. */
  private final String node;

  /** Wraps {@code cause}, thrown while computing {@code node}. */
  public NodeExecutionException(GraphNode node, Throwable cause) {
    super(message(node, cause), cause);
    this.node = node.name();
  }

  /** The name of the node that failed ({@code layer1.0.conv1}). */
  public String node() {
    return node;
  }

  private static String message(GraphNode node, Throwable cause) {
    String causeMessage = cause.getMessage();
    String firstLine =
        causeMessage == null || causeMessage.isBlank()
            ? cause.getClass().getName()
            : causeMessage.strip().lines().findFirst().orElse("");
    return "node \""
        + node.name()
        + "\" ("
        + node.op().name().toLowerCase(Locale.ROOT)
        + " "
        + node.target()
        + ") failed: "
        + firstLine;
  }
}
