package dev.featurex.runtime.execute;

import dev.featurex.graph.ModuleTreeSignature;
import dev.featurex.runtime.internal.TracedConfiguration;
import dev.featurex.runtime.internal.TracedModel;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.pytorch.Module;

/**
 * Finds the graphs the processor generated for a model class, and the traced configuration that
 * built a given instance.
 *
 * <ul>
 *   <li>The generated class is {@link TracedModel#generatedClassName} of the model's class, loaded
 *       with the model class's class loader; no classpath scanning. It is instantiated once per
 *       model class (cached in a {@link ClassValue}, so a class loader can still be unloaded).
 *   <li>An instance matches the first configuration whose {@link TracedConfiguration#moduleTree()}
 *       matches {@link ModuleTrees#describe} of the instance and whose known values (the fields
 *       {@code forward} read when it was traced, {@link TracedConfiguration#mismatch}) it holds.
 *       None matching is an error: it names the values that differ when a tree matched, else the
 *       traced factories and, for the closest one, the first differing entry.
 * </ul>
 */
public final class TracedModels {

  private static final ClassValue<Optional<TracedModel>> CACHE =
      new ClassValue<>() {
        @Override
        protected Optional<TracedModel> computeValue(Class<?> modelClass) {
          return load(modelClass);
        }
      };

  private TracedModels() {}

  /** The generated graphs of {@code modelClass}, or empty when the processor generated none. */
  public static Optional<TracedModel> find(Class<?> modelClass) {
    return CACHE.get(modelClass);
  }

  /**
   * The configuration of {@code traced} whose module tree equals {@code model}'s.
   *
   * @throws IllegalArgumentException listing the traced factories and the first difference from the
   *     closest one, when none matches
   */
  public static TracedConfiguration configurationFor(TracedModel traced, Module model) {
    List<String> tree = ModuleTrees.describe(model);
    List<TracedConfiguration> configurations = traced.configurations();
    List<String> assumptions = new ArrayList<>();
    for (TracedConfiguration configuration : configurations) {
      if (ModuleTreeSignature.matches(configuration.moduleTree(), tree)) {
        String mismatch = configuration.mismatch(model);
        if (mismatch == null) {
          return configuration;
        }
        assumptions.add(mismatch);
      }
    }
    if (!assumptions.isEmpty()) {
      // The tree is a traced one, but forward read other values when it was traced.
      throw new IllegalArgumentException(
          "this "
              + model.getClass().getName()
              + " has the module tree of a traced configuration, but not the values its forward"
              + " depends on: "
              + String.join("; ", assumptions)
              + ". Build the model with a traced factory, or name its factory in"
              + " @Traceable(factories = ...) and recompile.");
    }
    throw new IllegalArgumentException(mismatchMessage(model.getClass(), tree, configurations));
  }

  static String mismatchMessage(
      Class<?> modelClass, List<String> tree, List<TracedConfiguration> configurations) {
    StringBuilder message =
        new StringBuilder("the module tree of this ")
            .append(modelClass.getName())
            .append(" matches none of its traced configurations (");
    List<String> factories = new ArrayList<>();
    for (TracedConfiguration configuration : configurations) {
      factories.add(configuration.factory());
    }
    message.append(String.join(", ", factories)).append(')');
    TracedConfiguration closest = null;
    int best = -1;
    for (TracedConfiguration configuration : configurations) {
      int common = ModuleTreeSignature.commonPrefix(configuration.moduleTree(), tree);
      if (common > best) {
        best = common;
        closest = configuration;
      }
    }
    if (closest != null) {
      message
          .append("; closest is ")
          .append(closest.factory())
          .append(", whose ")
          .append(ModuleTreeSignature.firstDifference(closest.moduleTree(), tree));
    }
    return message
        .append(". Build the model with a traced factory, or name its factory in")
        .append(" @Traceable(factories = ...) and recompile.")
        .toString();
  }

  private static Optional<TracedModel> load(Class<?> modelClass) {
    String name = TracedModel.generatedClassName(modelClass);
    Class<?> generated;
    try {
      generated = Class.forName(name, true, modelClass.getClassLoader());
    } catch (ClassNotFoundException e) {
      return Optional.empty();
    }
    if (!TracedModel.class.isAssignableFrom(generated)) {
      throw new IllegalStateException(
          name + " does not implement " + TracedModel.class.getName() + ": it is not featurex's");
    }
    try {
      return Optional.of((TracedModel) generated.getConstructor().newInstance());
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot create " + name + ": " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot create " + name + " (it needs a public no-argument constructor): " + e, e);
    }
  }
}
