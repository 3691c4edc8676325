package dev.featurex.runtime.execute;

import dev.featurex.graph.ModuleTreeSignature;
import dev.featurex.graph.ModuleTypes;
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

  private ModuleTrees() {}

  /**
   * One entry per {@code named_modules()} item after the root, in that order: {@code "<qualified
   * name> <type>"}, where the type is the C++ name of a built-in module ({@code
   * torch::nn::Conv2dImpl}) and {@code Module} for any other (a Java subclass reports a mangled
   * JavaCPP name, which says nothing about its Java class).
   */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
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
    return ModuleTypes.signatureType(module.name().getString());
  }

  /**
   * Checks that {@code model}'s module tree is the one traced by {@code factory} (generated typed
   * extractors call this when they are built).
   *
   * @throws IllegalArgumentException naming the first difference and the factory that was traced
   */
  public static void require(Module model, List<String> expected, String factory) {
    String difference = ModuleTreeSignature.firstDifference(expected, describe(model));
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
