package dev.featurex.processor.trace;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;

/** Something the tracer cannot follow, with the tree and file to report it on. */
public final class TraceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Tree tree;
  private final transient CompilationUnitTree unit;

  TraceException(String message, Tree tree, CompilationUnitTree unit) {
    super(message, null, false, false);
    this.tree = tree;
    this.unit = unit;
  }

  /** The construct the message is about, or null when there is none to point at. */
  public Tree tree() {
    return tree;
  }

  /** The file of {@link #tree()}, or null. */
  public CompilationUnitTree unit() {
    return unit;
  }
}
