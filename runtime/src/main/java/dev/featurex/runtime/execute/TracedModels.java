package dev.featurex.runtime.execute;

import dev.featurex.graph.ModuleTreeSignature;
import dev.featurex.runtime.internal.TracedConfiguration;
import dev.featurex.runtime.internal.TracedModel;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    return configurationFor(traced, model, null, Map.of());
  }

  /**
   * The configuration of {@code traced} that is {@code model}'s and traced {@code method} (null:
   * any) with {@code concreteArgs} (each given pair must be the traced one's).
   *
   * @throws IllegalArgumentException when none matches (naming what differs), or when several
   *     traced methods match and neither {@code method} nor {@code concreteArgs} chooses
   */
  public static TracedConfiguration configurationFor(
      TracedModel traced, Module model, String method, Map<String, String> concreteArgs) {
    List<String> tree = ModuleTrees.describe(model);
    List<TracedConfiguration> configurations = traced.configurations();
    List<String> assumptions = new ArrayList<>();
    List<TracedConfiguration> candidates = new ArrayList<>();
    for (TracedConfiguration configuration : configurations) {
      if (ModuleTreeSignature.matches(configuration.moduleTree(), tree)) {
        String mismatch = configuration.mismatch(model);
        if (mismatch == null) {
          candidates.add(configuration);
        } else {
          assumptions.add(mismatch);
        }
      }
    }
    if (!candidates.isEmpty()) {
      return choose(model, candidates, method, concreteArgs);
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

  /** The candidate that traced the asked method, or the only traced method there is. */
  private static TracedConfiguration choose(
      Module model,
      List<TracedConfiguration> candidates,
      String method,
      Map<String, String> concreteArgs) {
    List<TracedConfiguration> chosen = new ArrayList<>();
    Set<String> methods = new LinkedHashSet<>();
    for (TracedConfiguration c : candidates) {
      methods.add(describe(c));
      if ((method == null || method.equals(c.method()))
          && c.concreteArgs().entrySet().containsAll(concreteArgs.entrySet())) {
        chosen.add(c);
      }
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException(
          "this "
              + model.getClass().getName()
              + " was traced as "
              + String.join(" and ", methods)
              + ", not as "
              + describe(method == null ? "forward" : method, concreteArgs)
              + "; name the traced method with ExtractorOptions.forward and concreteArg, or add"
              + " it to @Traceable(forward = ..., concreteArgs = ...) and recompile");
    }
    Set<String> ambiguous = new LinkedHashSet<>();
    chosen.forEach(c -> ambiguous.add(describe(c)));
    if (ambiguous.size() > 1) {
      throw new IllegalArgumentException(
          "this "
              + model.getClass().getName()
              + " was traced as "
              + String.join(" and ", ambiguous)
              + "; choose one with ExtractorOptions.forward and concreteArg");
    }
    return chosen.get(0);
  }

  private static String describe(TracedConfiguration c) {
    return describe(c.method(), c.concreteArgs());
  }

  private static String describe(String method, Map<String, String> args) {
    StringBuilder text = new StringBuilder(method).append('(');
    args.forEach(
        (k, v) ->
            text.append(text.charAt(text.length() - 1) == '(' ? "" : ", ")
                .append(k)
                .append('=')
                .append(v));
    return text.append(')').toString();
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
