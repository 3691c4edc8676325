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
 * declaration order.
 */
final class FieldPaths {

  private FieldPaths() {}

  /** The steps from {@code root} to {@code target}, or null when it is not reachable. */
  static List<String> find(Value.ObjectValue root, Value target) {
    Map<Object, List<String>> seen = new IdentityHashMap<>();
    Deque<Object> queue = new ArrayDeque<>();
    seen.put(root, List.of());
    queue.add(root);
    while (!queue.isEmpty()) {
      Object current = queue.poll();
      List<String> path = seen.get(current);
      if (current == target) {
        return path;
      }
      if (current instanceof Value.ObjectValue object) {
        for (Map.Entry<String, Value> field : object.fields.entrySet()) {
          visit(field.getValue(), path, "." + field.getKey(), seen, queue);
        }
      } else if (current instanceof Value.ArrayValue array) {
        for (int i = 0; i < array.elements.length; i++) {
          visit(array.elements[i], path, "[" + i + "]", seen, queue);
        }
      } else if (current instanceof Value.ListValue list) {
        for (int i = 0; i < list.elements.size(); i++) {
          visit(list.elements.get(i), path, "[" + i + "]", seen, queue);
        }
      }
    }
    return null;
  }

  private static void visit(
      Value v,
      List<String> path,
      String step,
      Map<Object, List<String>> seen,
      Deque<Object> queue) {
    if ((v instanceof Value.ObjectValue
            || v instanceof Value.ArrayValue
            || v instanceof Value.ListValue)
        && !seen.containsKey(v)) {
      List<String> next = new ArrayList<>(path);
      next.add(step);
      seen.put(v, List.copyOf(next));
      queue.add(v);
    }
  }
}
