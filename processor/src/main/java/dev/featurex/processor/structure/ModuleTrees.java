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

/**
 * Freezes the modules a constructor built into the model's {@link ModuleTree}, in {@code
 * named_modules()} order: pre-order, each module once, under the first name it is reachable by.
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
    visit(root, "", entries, paths);
    return new Frozen(new ModuleTree(entries), Collections.unmodifiableMap(paths));
  }

  private static void visit(
      ModuleValue module,
      String path,
      List<ModuleTree.Entry> entries,
      Map<ModuleValue, String> paths) {
    if (paths.containsKey(module)) {
      return;
    }
    paths.put(module, path);
    entries.add(
        new ModuleTree.Entry(
            path, TypeNames.of(module.type()), module.kind(), runtimeType(module)));
    for (Map.Entry<String, ModuleValue> child : module.children().entrySet()) {
      String childPath = path.isEmpty() ? child.getKey() : path + "." + child.getKey();
      visit(child.getValue(), childPath, entries, paths);
    }
  }

  /** The type the runtime reads for the module: its C++ name, or {@code Module} for Java ones. */
  static String runtimeType(ModuleValue module) {
    ModuleKind kind = module.kind();
    return kind.isNative()
        ? ModuleTypes.nativeName(module.type().getSimpleName().toString())
        : ModuleTypes.JAVA_MODULE;
  }
}
