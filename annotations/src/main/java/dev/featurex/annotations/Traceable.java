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
}
