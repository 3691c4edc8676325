package dev.featurex.processor.trace;

import com.sun.source.tree.Tree;
import java.util.Locale;

/** How messages name trees: {@code the lambda expression "t -> t"}. */
final class Describe {

  private Describe() {}

  /** {@code the <kind> "<source>"}, abbreviated to one short line. */
  static String of(Tree tree) {
    String kind = tree.getKind().toString().toLowerCase(Locale.ROOT).replace('_', ' ');
    return "the " + kind + " \"" + abbreviate(tree) + "\"";
  }

  /** The tree's source on one line, at most 60 characters. */
  static String abbreviate(Tree tree) {
    String oneLine = tree.toString().replaceAll("\\s+", " ").trim();
    return oneLine.length() > 60 ? oneLine.substring(0, 57) + "..." : oneLine;
  }
}
