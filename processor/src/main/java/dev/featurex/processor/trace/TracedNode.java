package dev.featurex.processor.trace;

import dev.featurex.graph.GraphNode;
import java.util.List;

/**
 * A graph node with what generated code needs to compute it.
 *
 * @param node the runtime's node (name, op, target, inputs)
 * @param call the Java call that computes it
 * @param javaType the canonical name of the node value's Java type ({@code
 *     org.bytedeco.pytorch.Tensor}, {@code long}, ...)
 */
public record TracedNode(GraphNode node, Call call, String javaType) {

  /** The Java call behind a node. */
  public sealed interface Call {}

  /** The {@code index}-th parameter of {@code forward}. */
  public record Parameter(int index) implements Call {}

  /**
   * {@code module.forward(args)} on a leaf module.
   *
   * @param path the module's qualified name
   * @param moduleType the canonical name of the module's Java class
   * @param asMethod for built-in modules, the {@code Module} method that casts the native tree's
   *     wrapper ({@code asConv2d}); null when the module is reached through {@code fieldPath}
   * @param fieldPath for Java leaf modules, the fields and indices from the model to the module
   *     ({@code [".layers", "[0]", ".block"]}); empty for built-in modules
   */
  public record ModuleCall(
      String path, String moduleType, String asMethod, List<String> fieldPath, List<Arg> args)
      implements Call {}

  /** {@code receiver.method(args)}. */
  public record MethodCall(Arg receiver, String method, List<Arg> args) implements Call {}

  /** {@code owner.method(args)}, a static function such as {@code torch.flatten}. */
  public record FunctionCall(String owner, String method, List<Arg> args) implements Call {}

  /** A Java operator on traced values: {@code left op right}, or {@code op left} when unary. */
  public record Operator(String operator, Arg left, Arg right) implements Call {}
}
