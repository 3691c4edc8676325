package dev.featurex.processor.trace;

import dev.featurex.graph.ModuleTypes;
import dev.featurex.processor.model.ModuleKind;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.TypeElement;

/**
 * torchvision's {@code LeafModuleAwareTracer} rule, for Java: which modules are leaves (one {@code
 * call_module} node, never traced into). Built-in {@code org.bytedeco.pytorch} modules are leaves
 * except the containers; a Java module is a leaf when its class, or a superclass (torchvision's
 * rule is {@code isinstance}), is annotated {@code @LeafModule} or listed in {@code leafModules},
 * or when its source is not in the compilation.
 */
public final class LeafModules {

  private static final String LEAF_ANNOTATION = "dev.featurex.annotations.LeafModule";

  private final Set<String> declared;
  private final Set<String> withoutSource = new TreeSet<>();

  /** A rule with {@code declared}: canonical names of the classes listed in {@code leafModules}. */
  public LeafModules(Set<String> declared) {
    this.declared = Set.copyOf(declared);
  }

  /** How the tracer treats a module of class {@code type}. */
  ModuleKind kindOf(TypeElement type, TraceEnvironment env) {
    if (type.getQualifiedName().contentEquals(ModuleTypes.PRESETS_PACKAGE + ".Module")) {
      // A plain Module used as a named container: no forward, children of its own, recorded as
      // "Module" as the runtime reads it.
      return ModuleKind.JAVA;
    }
    if (isPresets(type)) {
      return ModuleTypes.container(type.getSimpleName().toString())
          .map(
              c ->
                  switch (c) {
                    case SEQUENTIAL -> ModuleKind.SEQUENTIAL;
                    case MODULE_LIST -> ModuleKind.MODULE_LIST;
                    case MODULE_DICT -> ModuleKind.MODULE_DICT;
                  })
          .orElse(ModuleKind.BUILTIN);
    }
    if (isDeclaredLeaf(type)) {
      return ModuleKind.JAVA_LEAF;
    }
    if (!env.hasSource(type)) {
      withoutSource.add(type.getQualifiedName().toString());
      return ModuleKind.JAVA_LEAF;
    }
    return ModuleKind.JAVA;
  }

  /** The Java module classes made leaves because their source is not in the compilation, sorted. */
  public Set<String> withoutSource() {
    return Set.copyOf(withoutSource);
  }

  private boolean isDeclaredLeaf(TypeElement type) {
    for (TypeElement t = type; t != null; t = Symbols.asTypeElement(t.getSuperclass())) {
      if (declared.contains(t.getQualifiedName().toString())
          || t.getAnnotationMirrors().stream()
              .anyMatch(a -> a.getAnnotationType().toString().equals(LEAF_ANNOTATION))) {
        return true;
      }
    }
    return false;
  }

  static boolean isPresets(TypeElement type) {
    return type.getQualifiedName().toString().startsWith(ModuleTypes.PRESETS_PACKAGE + ".");
  }
}
