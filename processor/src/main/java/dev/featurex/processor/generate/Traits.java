package dev.featurex.processor.generate;

import dev.featurex.graph.NodeTraits;
import dev.featurex.processor.model.Arg;
import dev.featurex.processor.model.Call;
import dev.featurex.processor.model.LeafAccess;
import dev.featurex.processor.model.TracedGraph;
import dev.featurex.processor.model.TracedNode;
import dev.featurex.processor.model.TypeNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@link NodeTraits} of a traced graph's nodes, from the Java call behind each: what inference
 * plans may assume when they free, overwrite and fold ({@link dev.featurex.graph.InferencePlan}).
 *
 * <ul>
 *   <li>A built-in leaf module returns a new handle; {@link NodeTraits#ofModule} says the rest.
 *   <li>A method of a tensor or a static function of {@code torch} returns a new handle unless it
 *       returns a reference: an in-place method ({@code relu_}), an {@code _out} variant, a
 *       gradient; those, Java leaf modules and calls on anything else may return one of their
 *       inputs ({@link NodeTraits.Handle#ALIAS}).
 *   <li>New storage: only calls that always allocate their result ({@link #FRESH}): arithmetic,
 *       activations, reductions, {@code cat}, linear algebra; never views, {@code contiguous} or
 *       {@code to}, which may return their input.
 *   <li>In-place variants: {@code relu}, {@code sigmoid}, {@code tanh} (method or function) on
 *       their operand; {@code a.add(b)} and {@code torch.add(a, b)} on {@code a} or {@code b},
 *       {@code a.add(b, alpha)} on {@code a}.
 * </ul>
 */
final class Traits {

  static final String TORCH = "org.bytedeco.pytorch.global/torch";

  /** Tensor methods and torch functions whose result always has new storage. */
  static final Set<String> FRESH =
      Set.of(
          "add",
          "sub",
          "mul",
          "div",
          "neg",
          "relu",
          "sigmoid",
          "tanh",
          "silu",
          "gelu",
          "hardswish",
          "hardsigmoid",
          "softmax",
          "log_softmax",
          "exp",
          "log",
          "sqrt",
          "pow",
          "mean",
          "sum",
          "amax",
          "cat",
          "stack",
          "matmul",
          "mm",
          "bmm",
          "addmm",
          "conv2d",
          "linear",
          "batch_norm",
          "layer_norm",
          "max_pool2d",
          "avg_pool2d",
          "adaptive_avg_pool2d");

  /** Activations written into their operand by {@code <name>_}. */
  static final Set<String> IN_PLACE_ACTIVATIONS = Set.of("relu", "sigmoid", "tanh");

  /** Methods that return a reference without the in-place suffix. */
  private static final Set<String> REFERENCES =
      Set.of("grad", "mutable_grad", "_fw_grad", "_base", "set_requires_grad", "get", "at");

  private Traits() {}

  /** One entry per node of {@code graph}. */
  static List<NodeTraits> of(TracedGraph graph) {
    List<NodeTraits> traits = new ArrayList<>(graph.nodes().size());
    for (TracedNode node : graph.nodes()) {
      traits.add(of(graph, node));
    }
    return traits;
  }

  private static NodeTraits of(TracedGraph graph, TracedNode node) {
    Call call = node.call();
    if (!node.isTensor()
        || call instanceof Call.Parameter
        || call instanceof Call.GetAttr
        || call instanceof Call.Guard
        || call instanceof Call.OperatorCall) {
      return NodeTraits.BORROWED;
    }
    if (call instanceof Call.ModuleCall m) {
      if (!(m.access() instanceof LeafAccess.Native)) {
        return NodeTraits.UNKNOWN;
      }
      Integer input = soleTensor(graph, m.args());
      return input == null
          ? NodeTraits.owned(false)
          : NodeTraits.ofModule(TypeNames.simpleName(m.moduleType()), input);
    }
    if (call instanceof Call.MethodCall m) {
      Integer receiver = tensorRef(graph, m.receiver());
      if (receiver == null || returnsReference(m.method())) {
        return NodeTraits.UNKNOWN;
      }
      NodeTraits traits = NodeTraits.owned(FRESH.contains(m.method()));
      return traits.overwriting(overwritable(graph, m.method(), receiver, m.args()));
    }
    Call.FunctionCall f = (Call.FunctionCall) call;
    if (!f.owner().equals(TORCH) || returnsReference(f.method()) || f.args().isEmpty()) {
      return NodeTraits.UNKNOWN;
    }
    NodeTraits traits = NodeTraits.owned(FRESH.contains(f.method()));
    Integer first = tensorRef(graph, f.args().get(0));
    return first == null
        ? traits
        : traits.overwriting(
            overwritable(graph, f.method(), first, f.args().subList(1, f.args().size())));
  }

  /** The inputs {@code operand.method(args)} may overwrite, in order of preference. */
  private static Integer[] overwritable(
      TracedGraph graph, String method, int operand, List<Arg> args) {
    if (IN_PLACE_ACTIVATIONS.contains(method) && args.isEmpty()) {
      return new Integer[] {operand};
    }
    if (method.equals("add") && !args.isEmpty()) {
      Integer other = tensorRef(graph, args.get(0));
      if (other == null || other == operand) {
        return new Integer[0];
      }
      if (args.size() == 1) {
        return new Integer[] {operand, other}; // IEEE addition commutes: b + a is a + b
      }
      if (args.size() == 2 && !(args.get(1) instanceof Arg.NodeRef)) {
        return new Integer[] {operand}; // a + alpha * b
      }
    }
    return new Integer[0];
  }

  private static boolean returnsReference(String method) {
    return method.endsWith("_")
        || method.endsWith("_out")
        || method.endsWith("_outf")
        || REFERENCES.contains(method);
  }

  /** The node {@code arg} reads when it is a tensor node itself, else null. */
  static Integer tensorRef(TracedGraph graph, Arg arg) {
    return arg instanceof Arg.NodeRef ref && graph.node(ref.node()).isTensor() ? ref.node() : null;
  }

  private static Integer soleTensor(TracedGraph graph, List<Arg> args) {
    return args.size() == 1 ? tensorRef(graph, args.get(0)) : null;
  }
}
