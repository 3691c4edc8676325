package dev.featurex.runtime.internal;

/**
 * Computes the nodes of one graph bound to one model instance. Generated code: one case per node,
 * calling what the model's {@code forward} calls. Stateless, so one program serves many threads.
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
}
