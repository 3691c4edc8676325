package dev.featurex.runtime.execute;

/**
 * Computes the nodes of one graph bound to one model instance. Generated code: one case per node,
 * calling what the model's {@code forward} calls. Stateless, so one program serves many threads.
 */
@FunctionalInterface
public interface GraphProgram {

  /**
   * Computes node {@code node} from {@code values}, which holds the values of the nodes it reads
   * (a {@code Tensor}, a boxed {@code Long}, {@code Double} or {@code Boolean}, or another object
   * that {@code forward} passes around).
   */
  Object compute(int node, Object[] values);
}
