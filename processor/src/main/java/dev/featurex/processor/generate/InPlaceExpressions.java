package dev.featurex.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.featurex.processor.model.Arg;
import dev.featurex.processor.model.Call;
import dev.featurex.processor.model.TracedNode;
import dev.featurex.processor.model.TypeNames;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The in-place variant of a node that {@link Traits} marks as able to overwrite an input: the
 * expression writing the node's result into that input's tensor, with the same values as the node's
 * own call ({@code InPlace.relu(x)} for a {@code ReLUImpl}, {@code InPlace.add(a, b)} for {@code
 * a.add(b)}).
 */
final class InPlaceExpressions {

  static final ClassName IN_PLACE = ClassName.get(JavaTypes.INTERNAL, "InPlace");

  private InPlaceExpressions() {}

  /**
   * The expression computing {@code node} into the value of node {@code overwritten}.
   *
   * @param valueOf how to read a node's value
   * @param expressions the node's ordinary expressions (for its other arguments)
   */
  static CodeBlock of(
      TracedNode node,
      int overwritten,
      IntFunction<CodeBlock> valueOf,
      NodeExpressions expressions) {
    CodeBlock into = valueOf.apply(overwritten);
    Call call = node.call();
    if (call instanceof Call.ModuleCall m) {
      return activation(TypeNames.simpleName(m.moduleType()), into);
    }
    String method;
    List<Arg> rest;
    int operand;
    if (call instanceof Call.MethodCall m) {
      method = m.method();
      operand = ((Arg.NodeRef) m.receiver()).node();
      rest = m.args();
    } else {
      Call.FunctionCall f = (Call.FunctionCall) call;
      method = f.method();
      operand = ((Arg.NodeRef) f.args().get(0)).node();
      rest = f.args().subList(1, f.args().size());
    }
    if (Traits.IN_PLACE_ACTIVATIONS.contains(method)) {
      return CodeBlock.of("$T.$N($L)", IN_PLACE, method, into);
    }
    if (method.equals("add")) {
      int other = overwritten == operand ? ((Arg.NodeRef) rest.get(0)).node() : operand;
      return rest.size() == 2
          ? CodeBlock.of(
              "$T.add($L, $L, $L)",
              IN_PLACE,
              into,
              valueOf.apply(other),
              expressions.arg(rest.get(1)))
          : CodeBlock.of("$T.add($L, $L)", IN_PLACE, into, valueOf.apply(other));
    }
    throw new IllegalArgumentException("no in-place variant for " + node.name());
  }

  private static CodeBlock activation(String module, CodeBlock into) {
    String method =
        switch (module) {
          case "ReLUImpl" -> "relu";
          case "ReLU6Impl" -> "relu6";
          case "SiLUImpl" -> "silu";
          case "SigmoidImpl" -> "sigmoid";
          case "TanhImpl" -> "tanh";
          default -> throw new IllegalArgumentException("no in-place variant for a " + module);
        };
    return CodeBlock.of("$T.$N($L)", IN_PLACE, method, into);
  }
}
