package dev.featurex.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks the featurex processor for a typed feature extractor of the annotated model class.
 *
 * <p>The processor traces the model at compile time (its constructor, or {@link #factory()}, then
 * {@code forward} in train and in eval mode) and generates, next to the model class {@code M}:
 *
 * <ul>
 *   <li>{@code record M<name>Features(Tensor k1, Tensor k2, ...)}: one component per return node,
 *       in execution order;
 *   <li>{@code class M<name>FeatureExtractor extends Module}: built from an instance of {@code M},
 *       sharing its modules, whose {@code forward} returns the record.
 * </ul>
 *
 * <p>Rules the processor enforces, each a compile error on this annotation:
 *
 * <ul>
 *   <li>Each return node is {@code "node"} or {@code "node:key"}. Without a key, the key is the
 *       node name and the record component is the node name with every character that cannot appear
 *       in a Java identifier replaced by {@code _}. A key must be a Java identifier and not a
 *       keyword; keys are unique.
 *   <li>A node name selects the node of that name, or else the last node (in execution order) whose
 *       name starts with {@code node + "."}: {@code "layer1"} is the output of {@code layer1}
 *       (torchvision's rule). A name that selects nothing is an error that lists the closest node
 *       names and prefixes ({@code "layr4"}: did you mean {@code "layer4"}?).
 *   <li>Give either {@link #value()}, or both {@link #train()} and {@link #eval()} (torchvision's
 *       rule); train and eval must produce the same set of keys, since one record type holds both.
 *   <li>When the train and eval graphs differ, a compile warning says how, unless {@link
 *       #suppressDiffWarning()}.
 * </ul>
 *
 * <p>Repeatable: a class may have several extractors, told apart by {@link #name()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Repeatable(ExtractFeatures.List.class)
public @interface ExtractFeatures {

  /** Return nodes for both modes, each {@code "node"} or {@code "node:key"}. */
  String[] value() default {};

  /** Return nodes in train mode; needs {@link #eval()} too, and excludes {@link #value()}. */
  String[] train() default {};

  /** Return nodes in eval mode; needs {@link #train()} too, and excludes {@link #value()}. */
  String[] eval() default {};

  /**
   * Suffix of the generated type names, for a class with several extractors: {@code name = "Stem"}
   * on {@code ResNet} gives {@code ResNetStemFeatures} and {@code ResNetStemFeatureExtractor}.
   * Empty by default; two extractors of one class must differ in name.
   */
  String name() default "";

  /**
   * A static, argument-free method of the annotated class that builds the configuration to trace
   * (for example {@code "resnet50"}). Empty: the public no-argument constructor.
   */
  String factory() default "";

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

  /** Silences the warning that the train and eval graphs differ. */
  boolean suppressDiffWarning() default false;

  /** Holds repeated {@link ExtractFeatures} annotations. */
  @Documented
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.TYPE)
  @interface List {
    /** The repeated annotations. */
    ExtractFeatures[] value();
  }
}
