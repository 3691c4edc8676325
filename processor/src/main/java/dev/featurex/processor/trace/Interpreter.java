package dev.featurex.processor.trace;

import com.sun.source.tree.Tree;
import java.util.List;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * The entry to the interpreter for a phase defined outside this package (the structure phase): runs
 * a factory method or a constructor and returns what it built.
 */
public final class Interpreter {

  private Interpreter() {}

  /**
   * Runs {@code factory} (a static method without parameters, or a constructor without parameters
   * of {@code model}) in {@code phase}.
   *
   * @throws TraceException on the first construct the tracer cannot follow
   */
  public static Value build(
      TraceEnvironment env, Heap heap, Phase phase, TypeElement model, ExecutableElement factory) {
    Context context = new Context(env, heap, phase);
    Frame top = Frame.top(context, model, "");
    Tree at = env.methodTree(factory);
    return factory.getKind() == ElementKind.CONSTRUCTOR
        ? Invocations.INSTANCE.instantiate(model, List.of(), at, top)
        : Invocations.INSTANCE.inline(null, factory, List.of(), "", at, top);
  }
}
