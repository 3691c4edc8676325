package dev.featurex.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * The module tree of a model as both sides record it, so that the runtime can tell which traced
 * configuration built an instance: one entry per {@code named_modules()} item after the root, in
 * that order, {@code "<qualified name> <type>"}, the type as {@link ModuleTypes#signatureType}
 * gives it.
 */
public final class ModuleTreeSignature {

  private ModuleTreeSignature() {}

  /**
   * The signature of a live tree: {@code named_modules()} after the root, as pairs of qualified
   * name and {@code name()}, in order. The modules inside a built-in leaf ({@code out_proj} of a
   * multi-head attention) are left out: they are the leaf's own business, and a compile-time trace
   * cannot see them.
   */
  public static List<String> of(List<String> paths, List<String> nativeNames) {
    List<String> entries = new ArrayList<>(paths.size());
    String inside = null;
    for (int i = 0; i < paths.size(); i++) {
      String path = paths.get(i);
      if (inside != null && path.startsWith(inside)) {
        continue;
      }
      inside = null;
      String name = nativeNames.get(i);
      entries.add(entry(path, ModuleTypes.signatureType(name)));
      if (ModuleTypes.isBuiltInLeaf(name)) {
        inside = path + ".";
      }
    }
    return entries;
  }

  /** One entry: {@code "layer1.0.conv1 torch::nn::Conv2dImpl"}. */
  public static String entry(String path, String type) {
    return path + " " + type;
  }

  /**
   * The first difference between a traced tree and an instance's, in words ({@code named_modules()
   * entry 9 is "a" where this instance has "b"}), or null when they are equal.
   */
  public static String firstDifference(List<String> traced, List<String> instance) {
    int at = commonPrefix(traced, instance);
    if (at == traced.size() && at == instance.size()) {
      return null;
    }
    return "named_modules() entry "
        + (at + 1)
        + " is "
        + describe(traced, at)
        + " where this instance has "
        + describe(instance, at);
  }

  /** How many leading entries two trees share. */
  public static int commonPrefix(List<String> a, List<String> b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      if (!a.get(i).equals(b.get(i))) {
        return i;
      }
    }
    return n;
  }

  private static String describe(List<String> tree, int index) {
    return index < tree.size() ? "\"" + tree.get(index) + "\"" : "nothing (the tree ends)";
  }

  /** The tree as text ({@link Records}), as generated code keeps it. */
  public static String encode(List<String> entries) {
    return Records.encode(entries.stream().map(List::of).toList());
  }

  /** The tree {@link #encode} wrote, from its text cut in {@link Records#chunks}. */
  public static List<String> decode(String... chunks) {
    return Records.decode(chunks).stream().map(record -> record.get(0)).toList();
  }
}
