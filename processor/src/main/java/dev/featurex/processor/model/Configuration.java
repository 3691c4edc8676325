package dev.featurex.processor.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One traced configuration of a model: what built it, its module tree, and its graphs.
 *
 * @param factory what was traced, as messages and generated code name it: {@code resnet18()} or
 *     {@code new ResNet()}
 * @param method the name of the traced method ({@code forward})
 * @param concreteArgs the values its non-tensor parameters were fixed to, as written, in parameter
 *     order
 * @param modules the module tree the factory built
 * @param train the graph traced with {@code is_training()} true
 * @param eval the graph traced with {@code is_training()} false
 * @param leavesWithoutSource Java module classes traced as leaves because their source is not in
 *     the compilation, sorted
 * @param guards the known values {@code forward} read from the model, which an instance must hold
 *     for the graphs to be its (in the order first read)
 * @param sourcesRead the classes whose source the trace read (qualified names, sorted): what the
 *     generated code depends on, declared to the build so that it reruns the processor when one
 *     changes
 */
public record Configuration(
    String factory,
    String method,
    Map<String, String> concreteArgs,
    ModuleTree modules,
    TracedGraph train,
    TracedGraph eval,
    List<String> leavesWithoutSource,
    List<FieldGuard> guards,
    List<String> sourcesRead) {

  /** Copies the lists. */
  public Configuration {
    concreteArgs = Collections.unmodifiableMap(new LinkedHashMap<>(concreteArgs));
    leavesWithoutSource = List.copyOf(leavesWithoutSource);
    guards = List.copyOf(guards);
    sourcesRead = List.copyOf(sourcesRead);
  }

  /** Whether train and eval are the same graph with the same code (generated once). */
  public boolean sameInBothModes() {
    return train.equals(eval);
  }

  /** The graph of a mode. */
  public TracedGraph graph(boolean training) {
    return training ? train : eval;
  }
}
