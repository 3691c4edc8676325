package dev.featurex.runtime.internal;

import dev.featurex.graph.Graph;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Module;

/**
 * One traced configuration of a model: the module tree the factory built, the train and eval
 * graphs, and generated code that computes each node.
 */
public interface TracedConfiguration {

  /**
   * What was traced: {@code "resnet18()"} for a factory, {@code "new ResNet()"} for a constructor.
   */
  String factory();

  /** The name of the traced method ({@code forward}, or the one the annotation named). */
  default String method() {
    return "forward";
  }

  /**
   * The values the traced method's non-tensor parameters were fixed to ({@code concreteArgs}), as
   * written in the annotation, in parameter order.
   */
  default Map<String, String> concreteArgs() {
    return Map.of();
  }

  /**
   * The module tree the configuration builds, one entry per {@code named_modules()} item after the
   * root, in that order: {@code "<qualified name> <type>"}, where the type is the C++ name for
   * built-in modules ({@code torch::nn::Conv2dImpl}) and {@code Module} for Java modules.
   */
  List<String> moduleTree();

  /** The graph traced with {@code is_training()} equal to {@code training}. */
  Graph graph(boolean training);

  /**
   * Binds the code of the {@code training} graph to {@code model}, whose module tree must equal
   * {@link #moduleTree()}: the program reaches built-in leaf modules through {@code
   * named_modules()} and Java leaf modules through the fields the tracer saw.
   */
  GraphProgram bind(Module model, boolean training);

  /**
   * The first known value {@code forward} read from the model while it was traced that {@code
   * model} does not hold ({@code model.useResidual is false, traced with true}), or null when it
   * holds them all: the graph is {@code model}'s only then.
   */
  default String mismatch(Module model) {
    return null;
  }
}
