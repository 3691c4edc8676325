package dev.featurex.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * torchvision's return-node rules ({@code create_feature_extractor}), shared by the processor and
 * the runtime.
 *
 * <ul>
 *   <li>A request is present when some node name matches {@code ^<request>(\.|$)}.
 *   <li>Nodes are visited from the last to the first; a node answers the first remaining request
 *       equal to its name cut to as many {@code .}-separated parts as the request has, and each
 *       node answers one request. So {@code "layer1"} is the last node inside {@code layer1}.
 *   <li>Outputs come in execution order.
 * </ul>
 */
public final class ReturnNodes {

  private ReturnNodes() {}

  /** A request: a node name or prefix, and the key its tensor is returned under. */
  public record Request(String node, String key) {}

  /** A request answered: the key and the index of the node that answers it. */
  public record Selection(String key, String request, int node) {}

  /**
   * The outcome of {@link #select}: selections in execution order, and requests left unanswered.
   */
  public record Outcome(List<Selection> selections, List<Request> unanswered) {}

  /**
   * Parses {@code "node"} or {@code "node:key"} (the annotation form).
   *
   * @throws IllegalArgumentException naming the problem, when the node or the key is empty, starts
   *     or ends with white space (no node name does, and a key with it is a typo), or there is more
   *     than one {@code ':'}
   */
  public static Request parse(String spec) {
    int colon = spec.indexOf(':');
    if (colon < 0) {
      if (spec.isBlank()) {
        throw new IllegalArgumentException("an empty node name");
      }
      checkTrimmed(spec, "node name");
      return new Request(spec, spec);
    }
    if (spec.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException("more than one ':'");
    }
    String node = spec.substring(0, colon);
    String key = spec.substring(colon + 1);
    if (node.isBlank()) {
      throw new IllegalArgumentException("an empty node name before ':'");
    }
    if (key.isBlank()) {
      throw new IllegalArgumentException("an empty key after ':'");
    }
    checkTrimmed(node, "node name");
    checkTrimmed(key, "key");
    return new Request(node, key);
  }

  private static void checkTrimmed(String text, String what) {
    if (!text.strip().equals(text)) {
      throw new IllegalArgumentException(
          "the "
              + what
              + " \""
              + text
              + "\" starts or ends with white space; write it without (\""
              + text.strip()
              + "\")");
    }
  }

  /**
   * For the command line and the Spark job: the first of {@code requests} that no node of {@code
   * names} answers ({@link #isPresent}), said with the closest names and where to list them ({@code
   * "layr4" is not a node of resnet18, nor a module holding nodes; did you mean "layer4", ...?
   * (featurex nodes resnet18 lists the node names)}); empty when every request is answered.
   *
   * @throws IllegalArgumentException when a request, as a regular expression, needs more work than
   *     any node name deserves
   */
  public static Optional<String> unanswered(
      String modelName, List<String> names, Collection<String> requests) {
    for (String request : requests) {
      if (!isPresent(request, names)) {
        String hint = Suggestions.didYouMean(request, names);
        return Optional.of(
            "\""
                + request
                + "\" is not a node of "
                + modelName
                + ", nor a module holding nodes; "
                + (hint.isEmpty() ? "" : hint + " ")
                + "(featurex nodes "
                + modelName
                + " lists the node names)");
      }
    }
    return Optional.empty();
  }

  /**
   * Whether some node answers {@code request} (torchvision's check: {@code ^request(\.|$)}, the
   * request read as a regular expression; an invalid expression is read literally).
   *
   * @throws IllegalArgumentException when the request, as a regular expression, needs more work
   *     than any node name deserves ({@link #tooComplexMessage})
   */
  public static boolean isPresent(String request, List<String> names) {
    Pattern pattern = BoundedRegex.compileOrQuote(request + "(\\.|$)");
    try {
      for (String name : names) {
        if (BoundedRegex.matcher(pattern, name).lookingAt()) {
          return true;
        }
      }
    } catch (BoundedRegex.TooComplexException e) {
      throw new IllegalArgumentException(tooComplexMessage(request));
    }
    return false;
  }

  /** torchvision's selection of the nodes that answer {@code requests} (in their given order). */
  public static Outcome select(List<String> names, List<Request> requests) {
    List<Request> remaining = new ArrayList<>(requests);
    List<Selection> reversed = new ArrayList<>();
    for (int i = names.size() - 1; i >= 0 && !remaining.isEmpty(); i--) {
      String name = names.get(i);
      for (int r = 0; r < remaining.size(); r++) {
        Request request = remaining.get(r);
        if (prefix(name, dots(request.node()) + 1).equals(request.node())) {
          reversed.add(new Selection(request.key(), request.node(), i));
          remaining.remove(r);
          break;
        }
      }
    }
    List<Selection> selections = new ArrayList<>(reversed.size());
    for (int i = reversed.size() - 1; i >= 0; i--) {
      selections.add(reversed.get(i));
    }
    return new Outcome(List.copyOf(selections), List.copyOf(remaining));
  }

  /**
   * A node name as a record component: every character that cannot be in an identifier is {@code
   * _}.
   */
  public static String identifierFor(String nodeName) {
    StringBuilder id = new StringBuilder(nodeName.length());
    for (int i = 0; i < nodeName.length(); i++) {
      char c = nodeName.charAt(i);
      boolean ok = i == 0 ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c);
      id.append(ok ? c : '_');
    }
    return id.toString();
  }

  /** Requests from a map of node to key, in the map's order. */
  public static List<Request> fromMap(Map<String, String> nodeToKey) {
    List<Request> requests = new ArrayList<>(nodeToKey.size());
    for (Map.Entry<String, String> e : new LinkedHashMap<>(nodeToKey).entrySet()) {
      requests.add(new Request(e.getKey(), e.getValue()));
    }
    return requests;
  }

  /** torchvision's message for a request that no node answers, followed by the closest names. */
  public static String notPresentMessage(String request, List<String> names) {
    String hint = Suggestions.didYouMean(request, names);
    return "node: '"
        + request
        + "' is not present in model. Hint: use `getGraphNodeNames` to make sure the "
        + "`returnNodes` you specified are present. It may even be that you need to specify "
        + "`trainReturnNodes` and `evalReturnNodes` separately."
        + (hint.isEmpty() ? "" : " " + capitalize(hint));
  }

  /** Why a request was refused as a runaway regular expression, and the fix. */
  public static String tooComplexMessage(String request) {
    return "return node \""
        + request
        + "\" is matched as a regular expression, as torchvision does, and this one backtracks"
        + " without end on the node names; escape its special characters (write the node name"
        + " itself)";
  }

  private static String capitalize(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  private static int dots(String text) {
    int count = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '.') {
        count++;
      }
    }
    return count;
  }

  private static String prefix(String name, int parts) {
    int at = -1;
    for (int p = 0; p < parts; p++) {
      at = name.indexOf('.', at + 1);
      if (at < 0) {
        return name;
      }
    }
    return name.substring(0, at);
  }
}
