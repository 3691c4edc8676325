package dev.featurex.runtime.execute;

import dev.featurex.graph.ModuleTreeSignature;
import dev.featurex.graph.ModuleTypes;
import dev.featurex.runtime.internal.TracedConfiguration;
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
   * JavaCPP name, which says nothing about its Java class); the modules inside a built-in leaf are
   * left out ({@link ModuleTreeSignature#of}).
   */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  public static List<String> describe(Module model) {
    // The dictionary, its items and the module views are freed at once, not left to the GC.
    try (PointerScope scope = new PointerScope()) {
      StringSharedModuleDict modules = model.named_modules();
      List<String> paths = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (long i = 1; i < modules.size(); i++) {
        var item = modules.get(i);
        paths.add(item.key().getString());
        names.add(item.value().name().getString());
      }
      return ModuleTreeSignature.of(paths, names);
    }
  }

  /** The type of {@code module} as {@link #describe} records it. */
  public static String typeOf(Module module) {
    return ModuleTypes.signatureType(module.name().getString());
  }
}
