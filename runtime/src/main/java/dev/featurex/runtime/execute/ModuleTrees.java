package dev.featurex.runtime.execute;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.StringSharedModuleDict;
import org.bytedeco.pytorch.StringVector;

/**
 * The module-tree signature of an instance, as {@link TracedConfiguration#moduleTree()} lists it,
 * and the check that an instance is the configuration that was traced.
 */
public final class ModuleTrees {

  private static final String NATIVE_PREFIX = "torch::nn::";

  private ModuleTrees() {}

  /** {@code "<qualified name> <type>"} for every module of {@code model} after the root. */
  public static List<String> signature(Module model) {
    StringSharedModuleDict modules = model.named_modules();
    StringVector keys = modules.keys();
    List<String> lines = new ArrayList<>((int) keys.size());
    for (long i = 1; i < keys.size(); i++) {
      String name = keys.get(i) == null ? "" : keys.get(i).getString();
      String type = modules.get(i).value().name().getString();
      lines.add(name + " " + (type.startsWith(NATIVE_PREFIX) ? type : "Module"));
    }
    return lines;
  }

  /** The first difference between two signatures, in words, or null when they are equal. */
  public static String firstDifference(List<String> expected, List<String> actual) {
    int n = Math.min(expected.size(), actual.size());
    for (int i = 0; i < n; i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        return "module " + (i + 1) + " is \"" + actual.get(i) + "\" where the traced model has \"" + expected.get(i) + "\"";
      }
    }
    if (expected.size() != actual.size()) {
      return expected.size() > actual.size()
          ? "the instance lacks \"" + expected.get(n) + "\" and " + (expected.size() - n - 1) + " more modules"
          : "the instance has an extra module \"" + actual.get(n) + "\"";
    }
    return null;
  }

  /**
   * Checks that {@code model}'s module tree is the one traced by {@code factory}.
   *
   * @throws IllegalArgumentException naming the first difference and the factory that was traced
   */
  public static void require(Module model, List<String> expected, String factory) {
    String difference = firstDifference(expected, signature(model));
    if (difference != null) {
      throw new IllegalArgumentException(
          "this " + model.getClass().getSimpleName() + " is not the configuration featurex traced ("
              + factory + "): " + difference + ". Build the model with " + factory
              + ", or add the factory that builds it to the annotation.");
    }
  }
}
