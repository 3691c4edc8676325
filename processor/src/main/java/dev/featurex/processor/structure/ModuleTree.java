package dev.featurex.processor.structure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The module tree of one traced configuration, frozen after the constructor ran: every module with
 * its qualified name, in {@code named_modules()} order (pre-order, each module once, under the
 * first name it is reachable by).
 */
public final class ModuleTree {

  /** One module and its qualified name ({@code ""} for the root). */
  public record Entry(String path, ModuleInstance module) {}

  private final List<Entry> entries;
  private final Map<ModuleInstance, String> paths;

  private ModuleTree(List<Entry> entries, Map<ModuleInstance, String> paths) {
    this.entries = List.copyOf(entries);
    this.paths = paths;
  }

  /** Freezes the tree below {@code root}. */
  public static ModuleTree of(ModuleInstance root) {
    List<Entry> entries = new ArrayList<>();
    Map<ModuleInstance, String> paths = new IdentityHashMap<>();
    visit(root, "", entries, paths);
    return new ModuleTree(entries, Collections.unmodifiableMap(paths));
  }

  private static void visit(
      ModuleInstance module, String path, List<Entry> entries, Map<ModuleInstance, String> paths) {
    if (paths.containsKey(module)) {
      return;
    }
    paths.put(module, path);
    entries.add(new Entry(path, module));
    for (Map.Entry<String, ModuleInstance> child : module.children().entrySet()) {
      visit(
          child.getValue(),
          path.isEmpty() ? child.getKey() : path + "." + child.getKey(),
          entries,
          paths);
    }
  }

  /** Every module, root first. */
  public List<Entry> entries() {
    return entries;
  }

  /**
   * The qualified name of {@code module}, or null when it is not in the tree (never registered).
   */
  public String pathOf(ModuleInstance module) {
    return paths.get(module);
  }

  /** The runtime's signature: {@code "<path> <type>"} for every module after the root. */
  public List<String> signature() {
    List<String> lines = new ArrayList<>(entries.size() - 1);
    for (Entry entry : entries.subList(1, entries.size())) {
      lines.add(entry.path() + " " + entry.module().runtimeTypeName());
    }
    return lines;
  }
}
