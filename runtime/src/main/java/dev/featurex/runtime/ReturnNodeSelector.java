package dev.featurex.runtime;

import dev.featurex.graph.Graph;
import dev.featurex.graph.ReturnNodes;
import dev.featurex.graph.ReturnNodes.Outcome;
import dev.featurex.graph.ReturnNodes.Request;
import dev.featurex.graph.ReturnNodes.Selection;
import java.util.List;
import java.util.Map;

/**
 * Chooses the nodes that answer the requested return nodes of one mode, with torchvision's rules
 * ({@link ReturnNodes}), and one stricter: a request left unanswered because another request took
 * its node is an error, where torchvision drops it silently.
 */
final class ReturnNodeSelector {

  private ReturnNodeSelector() {}

  /**
   * The selections, in execution order.
   *
   * @throws IllegalArgumentException with torchvision's message and the closest names, for a
   *     request no node answers; naming both requests, for a request whose node another took
   */
  static List<Selection> select(Graph graph, Map<String, String> nodeToKey) {
    List<String> names = graph.names();
    for (String node : nodeToKey.keySet()) {
      if (!ReturnNodes.isPresent(node, names)) {
        throw new IllegalArgumentException(ReturnNodes.notPresentMessage(node, names));
      }
    }
    Outcome outcome = ReturnNodes.select(names, ReturnNodes.fromMap(nodeToKey));
    if (!outcome.unanswered().isEmpty()) {
      throw new IllegalArgumentException(
          unansweredMessage(outcome.unanswered().get(0), outcome.selections(), names));
    }
    return outcome.selections();
  }

  private static String unansweredMessage(
      Request request, List<Selection> selections, List<String> names) {
    // The node the request would get on its own is the one another request took.
    List<Selection> alone = ReturnNodes.select(names, List.of(request)).selections();
    if (alone.isEmpty()) {
      return ReturnNodes.notPresentMessage(request.node(), names);
    }
    int node = alone.get(0).node();
    for (Selection taker : selections) {
      if (taker.node() == node) {
        return "return nodes \""
            + request.node()
            + "\" and \""
            + taker.request()
            + "\" both select node \""
            + names.get(node)
            + "\", and each node answers one request (torchvision's rule): drop one of them, or"
            + " name a different node for one";
      }
    }
    return ReturnNodes.notPresentMessage(request.node(), names);
  }
}
