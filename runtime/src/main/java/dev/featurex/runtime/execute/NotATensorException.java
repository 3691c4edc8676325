package dev.featurex.runtime.execute;

import java.util.List;

/**
 * A run-time extractor was asked to return a node whose value is not a tensor: a {@code chunk}'s or
 * {@code split}'s list, attention's tuple, a size. The graph names no value types, so this shows on
 * the first {@code forward}, before any feature is returned. The message names the node, what it
 * computes, and the nodes that read it, which are the ones to request instead ({@code
 * stage3.4.getitem}, {@code stage3.4.getitem_1}).
 */
public final class NotATensorException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /** The name of the node requested. */
  private final String node;

  /** The names of the nodes that read it. */
  private final List<String> readers;

  /**
   * @param node the requested node's name
   * @param type the class of what it computed
   * @param readers the names of the nodes that read its value, in graph order
   */
  public NotATensorException(String node, Class<?> type, List<String> readers) {
    super(
        "node \""
            + node
            + "\" computes a "
            + type.getName()
            + ", not a Tensor: only tensor nodes can be returned"
            + (readers.isEmpty()
                ? ""
                : "; request a node that reads it instead (" + String.join(", ", readers) + ")"));
    this.node = node;
    this.readers = List.copyOf(readers);
  }

  /** The name of the node requested ({@code stage3.4.chunk}). */
  public String node() {
    return node;
  }

  /** The nodes that read its value, which may be requested instead. */
  public List<String> readers() {
    return readers;
  }
}
