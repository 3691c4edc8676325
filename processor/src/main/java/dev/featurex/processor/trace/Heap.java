package dev.featurex.processor.trace;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What one configuration's trace shares between its phases: static fields of the classes with
 * source, the leaf rule, and which native tensor objects were registered as parameters or buffers
 * (so that {@code forward} reads them from the model instead of re-creating them).
 */
public final class Heap {

  private final LeafModules leaves;
  private final Statics statics = new Statics();
  private final Map<Opaque, TensorRef> registeredTensors = new IdentityHashMap<>();

  /** An empty heap with the leaf rule of the request being traced. */
  public Heap(LeafModules leaves) {
    this.leaves = leaves;
  }

  /** The leaf rule. */
  public LeafModules leaves() {
    return leaves;
  }

  Statics statics() {
    return statics;
  }

  /** Notes that the native tensor {@code value} is now {@code ref} (a registered tensor). */
  public void registered(Opaque value, TensorRef ref) {
    registeredTensors.put(value, ref);
  }

  /** The registration of a native tensor object, or null. */
  TensorRef registration(Opaque value) {
    return registeredTensors.get(value);
  }
}
