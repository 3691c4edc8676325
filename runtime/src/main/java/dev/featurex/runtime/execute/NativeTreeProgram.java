package dev.featurex.runtime.execute;

import dev.featurex.graph.Graph;
import dev.featurex.graph.GraphNode;
import dev.featurex.runtime.internal.GraphProgram;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * The program of a graph traced at run time from a native module tree: every node is a leaf call on
 * the previous node's tensor, through the leaf's one-tensor {@code forward} ({@link NativeLeaves}),
 * bound once when the program is made. Immutable, so thread-safe.
 */
public final class NativeTreeProgram implements GraphProgram {

  /** Per node index, its bound forward, or null for a node that was not bound. */
  private final List<UnaryOperator<Tensor>> forwards;

  private final Graph graph;

  private NativeTreeProgram(Graph graph, List<UnaryOperator<Tensor>> forwards) {
    this.graph = graph;
    this.forwards = forwards;
  }

  /**
   * Binds the {@code call_module} nodes among {@code nodes} (indices into {@code graph}) to the
   * modules of {@code root} they name; other nodes of the graph stay unbound and cannot be
   * computed, so a module that only unrequested nodes call need not be supported.
   *
   * @throws IllegalArgumentException naming the module's path and type, when a bound module has no
   *     one-tensor {@code forward} the runtime knows
   */
  public static NativeTreeProgram bind(Module root, Graph graph, int... nodes) {
    List<UnaryOperator<Tensor>> forwards =
        new ArrayList<>(Collections.nCopies(graph.nodes().size(), null));
    for (int index : nodes) {
      GraphNode node = graph.nodes().get(index);
      if (node.op() == GraphNode.Op.CALL_MODULE) {
        forwards.set(index, bindModule(root, node.target()));
      }
    }
    return new NativeTreeProgram(graph, Collections.unmodifiableList(forwards));
  }

  private static UnaryOperator<Tensor> bindModule(Module root, String path) {
    Module module = root.named_modules().get(path);
    if (module == null || module.isNull()) {
      throw new IllegalArgumentException("the model has no module \"" + path + "\"");
    }
    return NativeLeaves.forward(module)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "module \""
                        + path
                        + "\" ("
                        + module.name().getString()
                        + ") has no one-tensor forward that the runtime can call; make it a leaf"
                        + " of a Java model annotated with @dev.featurex.annotations.Traceable,"
                        + " whose forward calls it as it needs"));
  }

  @Override
  public Object compute(int node, Object[] values) {
    UnaryOperator<Tensor> forward = forwards.get(node);
    if (forward == null) {
      throw new IllegalStateException(
          "node \"" + graph.nodes().get(node).name() + "\" was not bound to a module");
    }
    return forward.apply((Tensor) values[0]);
  }
}
