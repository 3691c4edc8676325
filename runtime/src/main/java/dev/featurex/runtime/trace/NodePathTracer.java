package dev.featurex.runtime.trace;

import dev.featurex.graph.Graph;
import dev.featurex.graph.GraphNode;
import dev.featurex.graph.NodeNamer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Traces a native module tree into a {@link Graph} with torchvision's node names, as torchvision's
 * {@code NodePathTracer} does with torch.fx.
 *
 * <ul>
 *   <li>The root must be a {@code SequentialImpl}; it is always traced through (torch.fx never
 *       treats the root as a leaf). Its {@code forward} calls its children in order, each on the
 *       previous one's output.
 *   <li>The input placeholder is {@code x}.
 *   <li>A leaf call is one {@code call_module} node named by the leaf's qualified name ({@code 0},
 *       {@code 2.1}); a nested {@code SequentialImpl} that is not a leaf is traced through; a
 *       repeated name gets torchvision's {@code _1}, {@code _2} ({@link NodeNamer}).
 *   <li>Any other non-leaf module (a {@code ModuleListImpl}, a Java module) cannot run at run time:
 *       an {@link IllegalArgumentException} names it and the way out.
 * </ul>
 *
 * <p>Not thread-safe: one tracer per trace is cheap; {@link #trace} keeps no state between calls.
 */
public class NodePathTracer extends LeafModuleAwareTracer {

  /** The name of the placeholder of a traced native tree. */
  public static final String INPUT = "x";

  /** A tracer that also treats modules of the {@code leafModules} C++ types as leaves. */
  public NodePathTracer(Set<String> leafModules) {
    super(leafModules);
  }

  /**
   * The graph of {@code root}'s {@code forward}; its output is the last node.
   *
   * @throws IllegalArgumentException when the root is not a {@code SequentialImpl}, or a module on
   *     the way is neither a leaf nor a {@code SequentialImpl}
   */
  public Graph trace(NativeModule root) {
    if (!root.isSequential()) {
      throw new IllegalArgumentException(
          "a "
              + root.type()
              + " cannot be traced at run time: only a SequentialImpl of built-in modules can;"
              + " for anything else write the model in Java, annotate it with"
              + " @dev.featurex.annotations.Traceable and recompile with the featurex processor");
    }
    NodeNamer namer = new NodeNamer();
    List<GraphNode> nodes = new ArrayList<>();
    nodes.add(GraphNode.of(namer.op("", INPUT), GraphNode.Op.PLACEHOLDER, INPUT));
    int output = traceSequence(root, 0, namer, nodes);
    return new Graph(nodes, output);
  }

  private int traceSequence(
      NativeModule sequential, int input, NodeNamer namer, List<GraphNode> nodes) {
    int value = input;
    for (NativeModule child : sequential.sequence()) {
      value = call(child, value, namer, nodes);
    }
    return value;
  }

  private int call(NativeModule module, int input, NodeNamer namer, List<GraphNode> nodes) {
    if (isLeafModule(module)) {
      String name = namer.moduleCall(module.path());
      nodes.add(GraphNode.of(name, GraphNode.Op.CALL_MODULE, module.path(), input));
      return nodes.size() - 1;
    }
    if (module.isSequential()) {
      return traceSequence(module, input, namer, nodes);
    }
    throw new IllegalArgumentException(
        "module \""
            + module.path()
            + "\" ("
            + module.type()
            + ") cannot be traced at run time: it is not a leaf and has no forward that calls"
            + " its children in order; make it a leaf of a Java model annotated with"
            + " @dev.featurex.annotations.Traceable");
  }
}
