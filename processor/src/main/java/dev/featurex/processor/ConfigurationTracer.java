package dev.featurex.processor;

import dev.featurex.processor.diagnostics.Message;
import dev.featurex.processor.model.Configuration;
import dev.featurex.processor.model.FieldGuard;
import dev.featurex.processor.request.TracedMethod;
import dev.featurex.processor.structure.ModuleTrees;
import dev.featurex.processor.structure.StructurePhase;
import dev.featurex.processor.trace.ForwardPhase;
import dev.featurex.processor.trace.Heap;
import dev.featurex.processor.trace.LeafModules;
import dev.featurex.processor.trace.ModuleValue;
import dev.featurex.processor.trace.TraceEnvironment;
import dev.featurex.processor.trace.TraceException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

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
  Configuration trace(
      TypeElement model,
      ExecutableElement factory,
      TracedMethod traced,
      Set<String> leafModules,
      Set<String> leafFunctions) {
    Heap heap = new Heap(new LeafModules(leafModules), leafFunctions);
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
    ExecutableElement forward = traced.method();
    if (!env.hasBody(forward)) {
      throw env.error(
          model,
          Message.FORWARD_WITHOUT_SOURCE,
          model.getSimpleName(),
          ((TypeElement) forward.getEnclosingElement()).getQualifiedName(),
          model.getSimpleName());
    }
    Map<String, Object> args = traced.concreteArgs();
    ForwardPhase.Trace train =
        ForwardPhase.trace(env, heap, root, tree.paths(), forward, args, true);
    ForwardPhase.Trace eval =
        ForwardPhase.trace(env, heap, root, tree.paths(), forward, args, false);
    Map<String, FieldGuard> guards = new LinkedHashMap<>();
    for (FieldGuard g : train.guards()) {
      guards.putIfAbsent(g.path(), g);
    }
    for (FieldGuard g : eval.guards()) {
      guards.putIfAbsent(g.path(), g);
    }
    return new Configuration(
        StructurePhase.describe(factory),
        forward.getSimpleName().toString(),
        traced.text(),
        tree.tree(),
        train.graph(),
        eval.graph(),
        List.copyOf(heap.leaves().withoutSource()),
        List.copyOf(guards.values()),
        heap.sourcesRead().stream().sorted().toList());
  }
}
