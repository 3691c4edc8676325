package dev.featurex.processor.trace;

import com.sun.source.tree.Tree;
import javax.lang.model.type.TypeMirror;

/**
 * How messages name trees and values: {@code the lambda expression "t -> t"}, {@code a traced
 * Tensor}.
 */
final class Describe {

  private Describe() {}

  static String of(Tree tree) {
    String kind = tree.getKind().toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    return "the " + kind + " \"" + abbreviate(tree.toString()) + "\"";
  }

  static String of(Value v) {
    if (v instanceof Value.Known k) {
      return k.value() == null ? "null" : "the value " + k.value();
    } else if (v instanceof Value.Symbolic s) {
      return "a traced " + simple(s.type());
    } else if (v instanceof Value.Opaque o) {
      return "a native " + simple(o.type());
    } else if (v instanceof Value.ObjectValue o) {
      return "a " + o.type.getSimpleName();
    } else if (v instanceof Value.ArrayValue) {
      return "an array";
    } else if (v instanceof Value.ListValue) {
      return "a List";
    } else if (v instanceof Value.TypeRef t) {
      return "the class " + t.type().getSimpleName();
    }
    return String.valueOf(v);
  }

  static String simple(TypeMirror type) {
    String s = type == null ? "value" : type.toString();
    return s.substring(s.lastIndexOf('.') + 1);
  }

  private static String abbreviate(String text) {
    String oneLine = text.replaceAll("\\s+", " ").trim();
    return oneLine.length() > 60 ? oneLine.substring(0, 57) + "..." : oneLine;
  }
}
