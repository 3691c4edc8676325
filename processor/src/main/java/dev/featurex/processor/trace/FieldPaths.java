package dev.featurex.processor.trace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * How generated code reaches a Java object from the model: the shortest chain of fields, array
 * indices and list indices ({@code .layers}, {@code [0]}, {@code [1]}), breadth first in field
 * order.
 */
final class FieldPaths {

  private FieldPaths() {}

  /** The steps from {@code root} to {@code target}, or null when it is not reachable. */
  static List<String> find(Value root, Value target) {
    Map<Value, List<String>> seen = new IdentityHashMap<>();
    Deque<Value> queue = new ArrayDeque<>();
    seen.put(root, List.of());
    queue.add(root);
    while (!queue.isEmpty()) {
      Value current = queue.poll();
      List<String> path = seen.get(current);
      if (current == target) {
        return path;
      }
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
    return null;
  }

  private static void visit(
      Value v, List<String> path, String step, Map<Value, List<String>> seen, Deque<Value> queue) {
    boolean container = v instanceof Instance || v instanceof ArrayValue || v instanceof ListValue;
    if (container && !seen.containsKey(v)) {
      List<String> next = new ArrayList<>(path);
      next.add(step);
      seen.put(v, List.copyOf(next));
      queue.add(v);
    }
  }
}
