package dev.featurex.processor.structure;

import dev.featurex.graph.ModuleTypes;
import dev.featurex.processor.model.ModuleKind;
import dev.featurex.processor.model.ModuleTree;
import dev.featurex.processor.model.TypeNames;
import dev.featurex.processor.trace.ModuleValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Freezes the modules a constructor built into the model's {@link ModuleTree}, as libtorch's {@code
 * named_modules()} lists them: pre-order, a module registered under two names listed under both
 * (with its children under both). Nodes are named by a module's first name, as torch.fx's {@code
 * named_modules()} (which lists each module once) names them.
 */
public final class ModuleTrees {

  /**
   * The frozen tree and the qualified name of each module.
   *
   * @param tree the tree, root first
   * @param paths every module's qualified name, by identity
   */
  public record Frozen(ModuleTree tree, Map<ModuleValue, String> paths) {}

  private ModuleTrees() {}

  /** The tree below {@code root}. */
  public static Frozen freeze(ModuleValue root) {
    List<ModuleTree.Entry> entries = new ArrayList<>();
    Map<ModuleValue, String> paths = new IdentityHashMap<>();
    Set<ModuleValue> ancestors = Collections.newSetFromMap(new IdentityHashMap<>());
    visit(root, "", entries, paths, ancestors);
    return new Frozen(new ModuleTree(entries), Collections.unmodifiableMap(paths));
  }

  private static void visit(
      ModuleValue module,
      String path,
      List<ModuleTree.Entry> entries,
      Map<ModuleValue, String> paths,
      Set<ModuleValue> ancestors) {
    if (!ancestors.add(module)) {
      return; // a module inside itself: libtorch would recurse for ever
    }
    paths.putIfAbsent(module, path);
    entries.add(
        new ModuleTree.Entry(
            path, TypeNames.of(module.type()), module.kind(), runtimeType(module)));
    for (Map.Entry<String, ModuleValue> child : module.children().entrySet()) {
      String childPath = path.isEmpty() ? child.getKey() : path + "." + child.getKey();
      visit(child.getValue(), childPath, entries, paths, ancestors);
    }
    ancestors.remove(module);
  }

  /** The type the runtime reads for the module: its C++ name, or {@code Module} for Java ones. */
  static String runtimeType(ModuleValue module) {
    ModuleKind kind = module.kind();
    if (kind.isNative()) {
      return ModuleTypes.nativeName(module.type().getSimpleName().toString());
    }
    return module.isOpaque() ? ModuleTypes.OPAQUE_JAVA_MODULE : ModuleTypes.JAVA_MODULE;
  }
}
