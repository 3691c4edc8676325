package dev.featurex.processor.trace;

import com.sun.source.util.Trees;
import dev.featurex.processor.structure.ModuleInstance;
import java.util.Set;
import javax.lang.model.element.TypeElement;

/**
 * torchvision's {@code LeafModuleAwareTracer}, for Java: decides which modules are leaves (one
 * {@code call_module} node, never traced into). Built-in {@code org.bytedeco.pytorch} modules are
 * leaves except the containers; a Java module is a leaf when annotated {@code @LeafModule}, listed
 * in {@code leafModules}, or when its source is not in the compilation.
 */
public final class LeafModuleAwareTracer {

  private static final String PRESETS = "org.bytedeco.pytorch.";
  private static final String LEAF_ANNOTATION = "dev.featurex.annotations.LeafModule";

  private final Trees trees;
  private final Set<String> leafModules;
  private final Set<String> withoutSource = new java.util.TreeSet<>();

  /** {@code leafModules}: canonical names of classes declared leaves by the annotation. */
  public LeafModuleAwareTracer(Trees trees, Set<String> leafModules) {
    this.trees = trees;
    this.leafModules = Set.copyOf(leafModules);
  }

  /** The kind of a module of class {@code type}. */
  public ModuleInstance.Kind kindOf(TypeElement type) {
    String name = type.getQualifiedName().toString();
    if (name.startsWith(PRESETS)) {
      return switch (type.getSimpleName().toString()) {
        case "SequentialImpl" -> ModuleInstance.Kind.SEQUENTIAL;
        case "ModuleListImpl" -> ModuleInstance.Kind.MODULE_LIST;
        case "ModuleDictImpl" -> ModuleInstance.Kind.MODULE_DICT;
        default -> ModuleInstance.Kind.BUILTIN;
      };
    }
    if (isDeclaredLeaf(type)) {
      return ModuleInstance.Kind.JAVA_LEAF;
    }
    if (trees.getTree(type) == null) {
      withoutSource.add(name);
      return ModuleInstance.Kind.JAVA_LEAF;
    }
    return ModuleInstance.Kind.JAVA;
  }

  /** The Java module classes made leaves because their source is not in the compilation. */
  public Set<String> withoutSource() {
    return Set.copyOf(withoutSource);
  }

  /** Whether the class is a leaf by {@code @LeafModule} or {@code leafModules}. */
  public boolean isDeclaredLeaf(TypeElement type) {
    if (leafModules.contains(type.getQualifiedName().toString())) {
      return true;
    }
    return type.getAnnotationMirrors().stream()
        .anyMatch(a -> a.getAnnotationType().toString().equals(LEAF_ANNOTATION));
  }
}
