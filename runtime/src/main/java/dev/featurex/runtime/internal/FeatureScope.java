package dev.featurex.runtime.internal;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * The ownership rule of one extraction, in one place: every native object made while the scope is
 * open is freed when it closes, except the tensors it {@linkplain #keep keeps}, which then belong
 * to the caller's {@link PointerScope} if one is open (else to the garbage collector, or to {@code
 * close()} on the features record). A kept tensor is always a new handle, so closing the features
 * never frees one of the caller's own tensors (an extractor may return its input).
 *
 * <pre>{@code
 * try (FeatureScope scope = FeatureScope.open()) {
 *   Tensor conv1 = this.conv1.forward(x);
 *   ...
 *   return new NetFeatures(scope.keep(layer1), scope.keep(fc));
 * }
 * }</pre>
 */
public final class FeatureScope implements AutoCloseable {

  private final PointerScope outer;
  private final PointerScope inner;
  private final List<Tensor> kept = new ArrayList<>();

  private FeatureScope(PointerScope outer) {
    this.outer = outer;
    this.inner = new PointerScope();
  }

  /** Opens a scope inside the caller's current one. */
  public static FeatureScope open() {
    return new FeatureScope(PointerScope.getInnerScope());
  }

  /** A new handle on {@code value} that outlives this scope. */
  public Tensor keep(Tensor value) {
    Tensor handle = new Tensor(value);
    handle.retainReference();
    kept.add(handle);
    return handle;
  }

  /** Frees everything made in the scope but the kept tensors, and hands those to the caller. */
  @Override
  public void close() {
    inner.close();
    if (outer == null) {
      return;
    }
    for (Tensor t : kept) {
      int before = t.referenceCount();
      outer.attach(t);
      // attach retains unless the scope filters classes; only then is our own reference dropped.
      if (t.referenceCount() > before) {
        t.releaseReference();
      }
    }
  }
}
