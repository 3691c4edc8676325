package dev.featurex.runtime.internal;

import java.util.List;

/**
 * The graphs the processor traced for one model class, generated as {@code <Flat>_FeatureGraph} in
 * the model's package, where {@code <Flat>} is the class's simple names joined by {@code _} ({@code
 * ResNet_FeatureGraph}, {@code Outer_Inner_FeatureGraph}), with a public no-argument constructor.
 * The runtime finds it from the model's class by that name: no classpath scanning.
 */
public interface TracedModel {

  /** The suffix of the generated class's name. */
  String CLASS_SUFFIX = "_FeatureGraph";

  /** The traced configurations, in the order the annotation names them. */
  List<TracedConfiguration> configurations();

  /** The binary name of the generated class for {@code modelClass}. */
  static String generatedClassName(Class<?> modelClass) {
    String pkg = modelClass.getPackageName();
    String flat =
        modelClass.getName().substring(pkg.isEmpty() ? 0 : pkg.length() + 1).replace('$', '_');
    return (pkg.isEmpty() ? "" : pkg + ".") + flat + CLASS_SUFFIX;
  }
}
