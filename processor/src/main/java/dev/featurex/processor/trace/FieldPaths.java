package dev.featurex.processor.trace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How generated code reaches a Java object from the model: the shortest chain of fields, array
 * indices and list indices ({@code .layers}, {@code [0]}, {@code [1]}), breadth first in field
 * order.
 */
final class FieldPaths {

  private final Value root;
  private Map<Value, List<String>> paths;
  private final Set<Value> missed = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Paths from {@code root}, indexed on first use: one walk of the heap per trace. */
  FieldPaths(Value root) {
    this.root = root;
  }

  /**
   * The steps from the root to {@code target}, or null when it is not reachable. A miss walks the
   * heap again once (forward may have stored an object since), then is remembered.
   */
  List<String> find(Value target) {
    if (paths == null) {
      paths = index(root);
    }
    List<String> path = paths.get(target);
    if (path == null && missed.add(target)) {
      paths = index(root);
      path = paths.get(target);
      if (path != null) {
        missed.clear();
      }
    }
    return path;
  }

  /** Every container reachable from {@code root}, with its shortest path (breadth first). */
  private static Map<Value, List<String>> index(Value root) {
    Map<Value, List<String>> seen = new IdentityHashMap<>();
    Deque<Value> queue = new ArrayDeque<>();
    seen.put(root, List.of());
    queue.add(root);
    while (!queue.isEmpty()) {
      Value current = queue.poll();
      List<String> path = seen.get(current);
      if (current instanceof Instance object) {
        for (Map.Entry<String, Value> field : object.fields().entrySet()) {
          visit(field.getValue(), path, "." + field.getKey(), seen, queue);
        }
      } else if (current instanceof ArrayValue array) {
        for (int i = 0; i < array.length(); i++) {
          visit(array.get(i), path, "[" + i + "]", seen, queue);
        }
      } else if (current instanceof ListValue list) {
        List<Value> elements = list.elements();
        for (int i = 0; i < elements.size(); i++) {
          visit(elements.get(i), path, "[" + i + "]", seen, queue);
        }
      }
    }
    return seen;
  }

  private static void visit(
      Value v, List<String> path, String step, Map<Value, List<String>> seen, Deque<Value> queue) {
    boolean container = v instanceof Instance || v instanceof ArrayValue || v instanceof ListValue;
    if (container && !seen.containsKey(v)) {
      List<String> next = new ArrayList<>(path.size() + 1);
      next.addAll(path);
      next.add(step);
      seen.put(v, Collections.unmodifiableList(next));
      queue.add(v);
    }
  }
}
