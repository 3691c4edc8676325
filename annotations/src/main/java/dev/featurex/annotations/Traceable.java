package dev.featurex.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Records the annotated model's graphs at compile time for the run-time API ({@code
 * FeatureExtraction.getGraphNodeNames} and {@code createFeatureExtractor}), without generating a
 * typed extractor.
 *
 * <p>The processor traces each configuration named in {@link #factories()} (default: the public
 * no-argument constructor), in train and in eval mode. At run time the configuration whose module
 * tree matches the instance is used. Anything the tracer cannot follow is a compile error on the
 * construct, with the way out (usually {@link LeafModule}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Traceable {

  /**
   * Static, argument-free methods of the annotated class that each build a configuration to trace
   * (for example {@code {"resnet18", "resnet50"}}). Empty: the public no-argument constructor.
   */
  String[] factories() default {};

  /** Module classes to treat as leaves (one node, never traced into), beyond the built-in ones. */
  Class<?>[] leafModules() default {};

  /**
   * The method to trace, torch.fx's traced method: a method of the model named so, whose parameters
   * are tensors and the parameters fixed by {@link #concreteArgs()} (default {@code forward}). Name
   * another when a model has several entry points ({@code forwardFeatures}).
   */
  String forward() default "forward";

  /**
   * Values for the non-tensor parameters of the traced method, torchvision's {@code
   * tracer_kwargs={"concrete_args": ...}}: each {@code "parameter=value"} ({@code
   * "returnAux=false"}, {@code "scale=0.5"}, an enum constant's name). The method is traced with
   * these values; the extractor takes only the tensors.
   */
  String[] concreteArgs() default {};

  /**
   * Static methods to record as one node each instead of reading their bodies, torchvision's {@code
   * tracer_kwargs={"autowrap_functions": [...]}}: each {@code "pkg.Class.method"}, for methods you
   * cannot annotate with {@link LeafFunction}.
   */
  String[] leafFunctions() default {};
}
