package dev.featurex.runtime.execute;

import dev.featurex.graph.Graph;
import dev.featurex.graph.GraphNode;
import dev.featurex.graph.NodeTraits;
import dev.featurex.runtime.internal.GraphProgram;
import dev.featurex.runtime.internal.InPlace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.StringSharedModuleDict;
import org.bytedeco.pytorch.Tensor;

/**
 * The program of a graph traced at run time from a native module tree: every node is a leaf call on
 * the previous node's tensor, through the leaf's one-tensor {@code forward} ({@link NativeLeaves}),
 * bound once when the program is made. Its {@link #traits()} come from the bound modules' types
 * ({@link NodeTraits#ofModule}); nodes left unbound are {@link NodeTraits#UNKNOWN}. Immutable, so
 * thread-safe.
 */
public final class NativeTreeProgram implements GraphProgram {

  /** Per node index, its bound forward, or null for a node that was not bound. */
  private final List<UnaryOperator<Tensor>> forwards;

  /** Per node index, its bound module, or null. */
  private final List<Module> modules;

  private final Graph graph;
  private final List<NodeTraits> traits;

  private NativeTreeProgram(
      Graph graph, List<UnaryOperator<Tensor>> forwards, List<Module> modules) {
    this.graph = graph;
    this.forwards = forwards;
    this.modules = modules;
    List<NodeTraits> t = new ArrayList<>(graph.nodes().size());
    for (int i = 0; i < graph.nodes().size(); i++) {
      GraphNode node = graph.nodes().get(i);
      Module module = modules.get(i);
      if (node.op() == GraphNode.Op.PLACEHOLDER) {
        t.add(NodeTraits.BORROWED);
      } else if (module != null && node.inputs().size() == 1) {
        t.add(NodeTraits.ofModule(simpleType(module), node.inputs().get(0)));
      } else {
        t.add(NodeTraits.UNKNOWN);
      }
    }
    this.traits = Collections.unmodifiableList(t);
  }

  private static String simpleType(Module module) {
    String type = module.name().getString();
    return type.substring(type.lastIndexOf(':') + 1);
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
    List<Module> modules = new ArrayList<>(Collections.nCopies(graph.nodes().size(), null));
    StringSharedModuleDict all = root.named_modules();
    for (int index : nodes) {
      GraphNode node = graph.nodes().get(index);
      if (node.op() == GraphNode.Op.CALL_MODULE) {
        Module module = all.get(node.target());
        if (module == null || module.isNull()) {
          throw new IllegalArgumentException("the model has no module \"" + node.target() + "\"");
        }
        forwards.set(index, bindModule(module, node.target()));
        modules.set(index, module);
      }
    }
    return new NativeTreeProgram(
        graph, Collections.unmodifiableList(forwards), Collections.unmodifiableList(modules));
  }

  private static UnaryOperator<Tensor> bindModule(Module module, String path) {
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

  @Override
  public List<NodeTraits> traits() {
    return traits;
  }

  @Override
  public Object computeInPlace(int node, int overwritten, Object[] values) {
    Module module = modules.get(node);
    if (module == null || !traits.get(node).overwritable().contains(overwritten)) {
      return GraphProgram.super.computeInPlace(node, overwritten, values);
    }
    return InPlace.activation(module.name().getString(), (Tensor) values[0]);
  }

  @Override
  public Module module(int node) {
    return traits.get(node).role() == NodeTraits.Role.NONE ? null : modules.get(node);
  }
}
