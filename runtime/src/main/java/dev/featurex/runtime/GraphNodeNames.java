package dev.featurex.runtime;

import java.util.List;

/**
 * The node names of a model's graphs, in execution order: what torchvision's {@code
 * get_graph_node_names} returns. The output is not listed; the input placeholder is.
 *
 * @param train the names traced with {@code is_training()} true
 * @param eval the names traced with {@code is_training()} false
 */
public record GraphNodeNames(List<String> train, List<String> eval) {

  /** Copies the lists, which may not contain null. */
  public GraphNodeNames {
    train = List.copyOf(train);
    eval = List.copyOf(eval);
  }
}
