package dev.featurex.processor.model;

import dev.featurex.graph.GraphNode;

/**
 * A graph node with what generated code needs to compute it.
 *
 * @param node the shared graph model's node (name, op, target, inputs)
 * @param call the Java call that computes it
 * @param javaType the node value's Java type ({@link TypeNames}: {@code
 *     org.bytedeco.pytorch/Tensor}, {@code long}, ...)
 */
public record TracedNode(GraphNode node, Call call, String javaType) {

  /** The node's name. */
  public String name() {
    return node.name();
  }

  /** Whether the node's value is a tensor. */
  public boolean isTensor() {
    return javaType.equals(TypeNames.TENSOR);
  }
}
