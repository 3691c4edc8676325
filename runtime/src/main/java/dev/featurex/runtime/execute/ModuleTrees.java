package dev.featurex.runtime.execute;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.StringSharedModuleDict;

/**
 * A model instance's module tree in the form {@link TracedConfiguration#moduleTree()} records, so
 * that the runtime can tell which traced configuration an instance was built by.
 */
public final class ModuleTrees {

  /** The prefix of the C++ names of libtorch's built-in modules. */
  public static final String NATIVE_PREFIX = "torch::nn::";

  /** The type recorded for a module written in Java (or a plain {@code torch::nn::Module}). */
  public static final String JAVA_MODULE = "Module";

  private ModuleTrees() {}

  /**
   * One entry per {@code named_modules()} item after the root, in that order: {@code "<qualified
   * name> <type>"}, where the type is the C++ name of a built-in module ({@code
   * torch::nn::Conv2dImpl}) and {@value #JAVA_MODULE} for any other (a Java subclass reports a
   * mangled JavaCPP name, which says nothing about its Java class).
   */
  public static List<String> describe(Module model) {
    // The dictionary, its items and the module views are freed at once, not left to the GC.
    try (PointerScope scope = new PointerScope()) {
      StringSharedModuleDict modules = model.named_modules();
      List<String> entries = new ArrayList<>((int) Math.max(0, modules.size() - 1));
      for (long i = 1; i < modules.size(); i++) {
        var item = modules.get(i);
        entries.add(item.key().getString() + " " + typeOf(item.value()));
      }
      return entries;
    }
  }

  /** The type of {@code module} as {@link #describe} records it. */
  public static String typeOf(Module module) {
    String name = module.name().getString();
    return name.startsWith(NATIVE_PREFIX) ? name : JAVA_MODULE;
  }

  /**
   * The first difference between the traced tree and an instance's, in words ({@code
   * named_modules() entry 9 is "a" where this instance has "b"}), or null when they are equal.
   */
  public static String firstDifference(List<String> traced, List<String> instance) {
    int at = TracedModels.commonPrefix(traced, instance);
    if (at == traced.size() && at == instance.size()) {
      return null;
    }
    return "named_modules() entry "
        + (at + 1)
        + " is "
        + entry(traced, at)
        + " where this instance has "
        + entry(instance, at);
  }

  private static String entry(List<String> tree, int index) {
    return index < tree.size() ? "\"" + tree.get(index) + "\"" : "nothing (the tree ends)";
  }

  /**
   * Checks that {@code model}'s module tree is the one traced by {@code factory} (generated typed
   * extractors call this when they are built).
   *
   * @throws IllegalArgumentException naming the first difference and the factory that was traced
   */
  public static void require(Module model, List<String> expected, String factory) {
    String difference = firstDifference(expected, describe(model));
    if (difference != null) {
      throw new IllegalArgumentException(
          "this "
              + model.getClass().getSimpleName()
              + " is not the configuration featurex traced ("
              + factory
              + "), whose "
              + difference
              + ". Build the model with "
              + factory
              + ", or add the factory that builds it to the annotation.");
    }
  }
}
