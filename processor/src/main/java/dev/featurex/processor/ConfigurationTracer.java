package dev.featurex.processor;

import dev.featurex.processor.diagnostics.Message;
import dev.featurex.processor.model.Configuration;
import dev.featurex.processor.model.FieldGuard;
import dev.featurex.processor.structure.ModuleTrees;
import dev.featurex.processor.structure.StructurePhase;
import dev.featurex.processor.trace.ForwardPhase;
import dev.featurex.processor.trace.Heap;
import dev.featurex.processor.trace.LeafModules;
import dev.featurex.processor.trace.ModuleValue;
import dev.featurex.processor.trace.TraceEnvironment;
import dev.featurex.processor.trace.TraceException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** The longest qualified module name: generated code writes names as string constants. */
  static final int MAX_PATH = 10_000;

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
    for (var entry : tree.tree().entries()) {
      if (entry.path().length() > MAX_PATH) {
        throw env.error(
            factory,
            Message.PATH_TOO_LONG,
            entry.path().substring(0, 40),
            entry.path().length(),
            MAX_PATH);
      }
    }
    ExecutableElement forward = forwardOf(root.type());
    ForwardPhase.Trace train = ForwardPhase.trace(env, heap, root, tree.paths(), forward, true);
    ForwardPhase.Trace eval = ForwardPhase.trace(env, heap, root, tree.paths(), forward, false);
    Map<String, FieldGuard> guards = new LinkedHashMap<>();
    for (FieldGuard g : train.guards()) {
      guards.putIfAbsent(g.path(), g);
    }
    for (FieldGuard g : eval.guards()) {
      guards.putIfAbsent(g.path(), g);
    }
    return new Configuration(
        StructurePhase.describe(factory),
        tree.tree(),
        train.graph(),
        eval.graph(),
        List.copyOf(heap.leaves().withoutSource()),
        List.copyOf(guards.values()),
        heap.sourcesRead().stream().sorted().toList());
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
            && !m.getModifiers().contains(Modifier.ABSTRACT)) {
          if (!env.hasBody(m)) {
            if (t.getQualifiedName().toString().startsWith("org.bytedeco.")) {
              continue;
            }
            throw env.error(
                type,
                Message.FORWARD_WITHOUT_SOURCE,
                type.getSimpleName(),
                t.getQualifiedName(),
                type.getSimpleName());
          }
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
