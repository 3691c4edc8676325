package dev.featurex.processor.diagnostics;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;

/** Finds the tree of one of several repeated annotations, and of a value inside it. */
final class RepeatedAnnotations {

  private RepeatedAnnotations() {}

  /** The {@code index}-th annotation of {@code mirror}'s type on the class, or the value in it. */
  static Tree locate(
      TreePath classPath, AnnotationMirror mirror, int index, AnnotationValue value) {
    if (!(classPath.getLeaf() instanceof ClassTree type)) {
      return null;
    }
    String simple = mirror.getAnnotationType().asElement().getSimpleName().toString();
    int seen = 0;
    for (AnnotationTree annotation : type.getModifiers().getAnnotations()) {
      String name = annotation.getAnnotationType().toString();
      if (!name.equals(simple) && !name.endsWith("." + simple)) {
        continue;
      }
      if (seen++ == index) {
        return value == null ? annotation : find(annotation, value.toString(), annotation);
      }
    }
    return null;
  }

  /**
   * The expression in {@code annotation} written as {@code text} ({@code "fc3"}), else the
   * annotation.
   */
  private static Tree find(AnnotationTree annotation, String text, Tree fallback) {
    Tree[] found = new Tree[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void unused) {
        if (found[0] == null
            && tree instanceof ExpressionTree e
            && e.getKind() == Tree.Kind.STRING_LITERAL
            && e.toString().equals(text)) {
          found[0] = tree;
        }
        return super.scan(tree, unused);
      }
    }.scan(annotation.getArguments(), null);
    return found[0] != null ? found[0] : fallback;
  }
}
