package dev.featurex.runtime.trace;

import dev.featurex.graph.ModuleTypes;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Decides which modules of a native tree are leaves (one {@code call_module} node, never traced
 * into), as torchvision's {@code LeafModuleAwareTracer} does for torch.fx.
 *
 * <p>A module is a leaf when its type is one of {@link #leafModules()}, or when it is a built-in
 * libtorch module ({@code torch::nn::...Impl}) other than the containers {@code SequentialImpl},
 * {@code ModuleListImpl} and {@code ModuleDictImpl}.
 */
public class LeafModuleAwareTracer {

  private final Set<String> leafModules;

  /** A tracer that also treats modules of the {@code leafModules} C++ types as leaves. */
  public LeafModuleAwareTracer(Set<String> leafModules) {
    this.leafModules = Collections.unmodifiableSet(new LinkedHashSet<>(leafModules));
  }

  /** The extra leaf types this tracer was given, in the given order. */
  public Set<String> leafModules() {
    return leafModules;
  }

  /** Whether {@code module} is a leaf: listed, or built-in and not a container. */
  public boolean isLeafModule(NativeModule module) {
    return leafModules.contains(module.type()) || ModuleTypes.isBuiltInLeaf(module.type());
  }
}
