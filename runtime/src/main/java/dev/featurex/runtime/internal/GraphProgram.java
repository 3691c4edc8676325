package dev.featurex.runtime.internal;

import dev.featurex.graph.NodeTraits;
import java.util.List;
import org.bytedeco.pytorch.Module;

/**
 * Computes the nodes of one graph bound to one model instance. Generated code: one case per call
 * shape, calling what the model's {@code forward} calls, with each node's shape and operands read
 * from a {@link ProgramTable}. Stateless, so one program serves many threads.
 *
 * <p>{@link dev.featurex.runtime.execute.GraphExecutor} calls it inside a {@code PointerScope} that
 * is closed when the extractor's {@code forward} returns: every native object created during {@code
 * compute} is freed then, so a program must bind what it keeps (module views such as {@code
 * asConv2d()}) before it is first called, never lazily inside {@code compute}.
 */
@FunctionalInterface
public interface GraphProgram {

  /**
   * Computes node {@code node} from {@code values}, which holds the values of the nodes it reads,
   * in the order of {@code GraphNode.inputs()} ({@code values[k]} is the value of input {@code k}):
   * a {@code Tensor}, a boxed {@code Long}, {@code Double} or {@code Boolean}, or another object
   * that {@code forward} passes around. Never returns null.
   */
  Object compute(int node, Object[] values);

  /**
   * What an inference plan may assume about each node of the graph ({@link NodeTraits}), one per
   * node, or an empty list when nothing is known (then the executor runs the plain plan).
   */
  default List<NodeTraits> traits() {
    return List.of();
  }

  /**
   * Computes node {@code node} as {@link #compute} does, through its in-place variant writing into
   * the value of input node {@code overwritten}, one of the node's {@link
   * NodeTraits#overwritable()} inputs; returns that input's handle, or a new tensor when the
   * variant could not write into it ({@link InPlace#add}).
   *
   * @throws UnsupportedOperationException when the node has no such variant
   */
  default Object computeInPlace(int node, int overwritten, Object[] values) {
    throw new UnsupportedOperationException("node " + node + " has no in-place variant");
  }

  /**
   * The bound leaf module that node {@code node} calls, for the nodes that take part in a fold or a
   * layout choice (a {@link NodeTraits#role()} other than {@code NONE}); null for any other node.
   */
  default Module module(int node) {
    return null;
  }
}
