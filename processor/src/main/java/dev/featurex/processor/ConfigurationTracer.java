package dev.featurex.processor;

import dev.featurex.processor.diagnostics.Message;
import dev.featurex.processor.model.Configuration;
import dev.featurex.processor.model.TracedGraph;
import dev.featurex.processor.structure.ModuleTrees;
import dev.featurex.processor.structure.StructurePhase;
import dev.featurex.processor.trace.ForwardPhase;
import dev.featurex.processor.trace.Heap;
import dev.featurex.processor.trace.LeafModules;
import dev.featurex.processor.trace.ModuleValue;
import dev.featurex.processor.trace.TraceEnvironment;
import dev.featurex.processor.trace.TraceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;

/**
 * Traces one configuration of a model: the structure phase builds the module tree from the
 * constructor or factory, then the forward phase runs {@code forward} on symbolic inputs, once in
 * train and once in eval mode.
 */
final class ConfigurationTracer {

  private final TraceEnvironment env;

  ConfigurationTracer(TraceEnvironment env) {
    this.env = env;
  }

  /**
   * The configuration {@code factory} builds.
   *
   * @throws TraceException on the first construct that cannot be traced
   */
  Configuration trace(TypeElement model, ExecutableElement factory, Set<String> leafModules) {
    Heap heap = new Heap(new LeafModules(leafModules));
    ModuleValue root = StructurePhase.build(env, heap, model, factory);
    ModuleTrees.Frozen tree = ModuleTrees.freeze(root);
    ExecutableElement forward = forwardOf(root.type());
    TracedGraph train = ForwardPhase.trace(env, heap, root, tree.paths(), forward, true);
    TracedGraph eval = ForwardPhase.trace(env, heap, root, tree.paths(), forward, false);
    return new Configuration(
        StructurePhase.describe(factory),
        tree.tree(),
        train,
        eval,
        List.copyOf(heap.leaves().withoutSource()));
  }

  /**
   * The {@code forward} to trace: of the class or its nearest superclass that declares one with a
   * body; among overloads, the one that takes only tensors.
   */
  private ExecutableElement forwardOf(TypeElement type) {
    for (TypeElement t = type; t != null; t = superclass(t)) {
      List<ExecutableElement> declared = new ArrayList<>();
      for (ExecutableElement m : ElementFilter.methodsIn(t.getEnclosedElements())) {
        if (m.getSimpleName().contentEquals("forward")
            && !m.getModifiers().contains(Modifier.STATIC)
            && env.hasBody(m)) {
          declared.add(m);
        }
      }
      for (ExecutableElement m : declared) {
        if (takesOnlyTensors(m)) {
          return m;
        }
      }
      if (!declared.isEmpty()) {
        return declared.get(0);
      }
    }
    throw env.error(type, Message.NO_FORWARD, type.getSimpleName());
  }

  private boolean takesOnlyTensors(ExecutableElement method) {
    for (VariableElement p : method.getParameters()) {
      if (!env.isTensor(p.asType())) {
        return false;
      }
    }
    return true;
  }

  private static TypeElement superclass(TypeElement type) {
    return type.getSuperclass() instanceof javax.lang.model.type.DeclaredType d
        ? (TypeElement) d.asElement()
        : null;
  }
}
