package dev.featurex.processor.diagnostics;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.HashSet;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/** Prints each message once, on the most specific place it has, and remembers failed elements. */
public final class Reporter {

  private final Messager messager;
  private final Trees trees;
  private final Set<String> printed = new HashSet<>();
  private final Set<Element> failed = new HashSet<>();
  private final java.util.Map<AnnotationMirror, Integer> repeated =
      new java.util.IdentityHashMap<>();

  public Reporter(Messager messager, Trees trees) {
    this.messager = messager;
    this.trees = trees;
  }

  /**
   * Notes that {@code annotation} is the {@code index}-th of a repeated annotation: javac cannot
   * place messages on it (its container exists only in the class file), so they go on its tree.
   */
  public void repeated(AnnotationMirror annotation, int index) {
    repeated.put(annotation, index);
  }

  public void report(
      Message message,
      Element element,
      AnnotationMirror annotation,
      AnnotationValue value,
      Object... args) {
    String text = message.format(args);
    if (!printed.add(element + "|" + text)) {
      return;
    }
    if (message.kind() == Diagnostic.Kind.ERROR) {
      failed.add(element);
    }
    Integer index = annotation == null ? null : repeated.get(annotation);
    TreePath path = index == null ? null : trees.getPath(element);
    Tree tree = path == null ? null : RepeatedAnnotations.locate(path, annotation, index, value);
    if (tree != null) {
      trees.printMessage(message.kind(), text, tree, path.getCompilationUnit());
    } else if (value != null) {
      messager.printMessage(message.kind(), text, element, annotation, value);
    } else if (annotation != null) {
      messager.printMessage(message.kind(), text, element, annotation);
    } else {
      messager.printMessage(message.kind(), text, element);
    }
  }

  public void report(Message message, Element element, Object... args) {
    report(message, element, null, null, args);
  }

  /** A tracing error, on the tree it is about. */
  public void reportTree(Element element, String text, Tree tree, CompilationUnitTree unit) {
    if (!printed.add(unit + "|" + tree + "|" + text)) {
      return;
    }
    failed.add(element);
    if (tree != null && unit != null) {
      trees.printMessage(Diagnostic.Kind.ERROR, text, tree, unit);
    } else {
      messager.printMessage(Diagnostic.Kind.ERROR, text, element);
    }
  }

  public boolean hasFailed(Element element) {
    return failed.contains(element);
  }
}
