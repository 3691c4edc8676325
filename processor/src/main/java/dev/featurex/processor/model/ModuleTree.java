package dev.featurex.processor.model;

import dev.featurex.graph.ModuleTreeSignature;
import java.util.ArrayList;
import java.util.List;

/**
 * The module tree of one traced configuration, in {@code named_modules()} order (pre-order, each
 * module once, under the first name it is reachable by), root first.
 *
 * @param entries every module with its qualified name ({@code ""} for the root)
 */
public record ModuleTree(List<Entry> entries) {

  /**
   * One module.
   *
   * @param path the qualified name
   * @param javaType the module's Java class, as {@link TypeNames} writes it
   * @param kind how the tracer treats it
   * @param runtimeType the type the runtime reads for it ({@code torch::nn::Conv2dImpl}, {@code
   *     Module})
   */
  public record Entry(String path, String javaType, ModuleKind kind, String runtimeType) {}

  /** Copies the entries. */
  public ModuleTree {
    entries = List.copyOf(entries);
  }

  /** The runtime's signature of the tree: one entry per module after the root. */
  public List<String> signature() {
    List<String> lines = new ArrayList<>(Math.max(0, entries.size() - 1));
    for (Entry entry : entries.subList(Math.min(1, entries.size()), entries.size())) {
      lines.add(ModuleTreeSignature.entry(entry.path(), entry.runtimeType()));
    }
    return lines;
  }
}
