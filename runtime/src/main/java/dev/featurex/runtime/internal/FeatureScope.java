package dev.featurex.runtime.internal;

import dev.featurex.runtime.weights.DType;
import java.util.ArrayList;
import java.util.Arrays;
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
 *
 * <p>An inference scope ({@link #open(Optimizations)}) also frees a value as soon as generated code
 * says it is no longer read ({@link #free}), when {@link Optimizations#freeAfterLastUse()} is on:
 * the tensor's native handle is deallocated at once (its storage goes when no other handle shares
 * it), and the scope's own release at close does nothing more for it. Generated code frees only
 * what a node's call returned by value in this scope, never an input, a parameter or a value it
 * keeps.
 */
public final class FeatureScope implements AutoCloseable {

  private final PointerScope outer;
  private final PointerScope inner;
  private final List<Tensor> kept = new ArrayList<>();
  private final Optimizations optimizations;

  private FeatureScope(PointerScope outer, Optimizations optimizations) {
    this.outer = outer;
    this.optimizations = optimizations;
    this.inner = new PointerScope();
  }

  /** Opens a scope inside the caller's current one. */
  public static FeatureScope open() {
    return new FeatureScope(PointerScope.getInnerScope(), Optimizations.none());
  }

  /** Opens a scope for an inference plan run with {@code optimizations}. */
  public static FeatureScope open(Optimizations optimizations) {
    return new FeatureScope(PointerScope.getInnerScope(), optimizations);
  }

  /** Whether in-place variants run ({@link Optimizations#inPlace()}). */
  public boolean inPlace() {
    return optimizations.inPlace();
  }

  /**
   * Frees {@code value} now when freeing after the last use is on; else it lives until the scope
   * closes. Freeing twice, or freeing a handle that owns nothing, does nothing.
   */
  public void free(Tensor value) {
    if (optimizations.freeAfterLastUse() && value != null) {
      value.deallocate();
    }
  }

  /**
   * After a node that may have written into {@code input} in place: frees {@code input} when the
   * node returned another tensor (in-place off, or an {@code add} whose operands did not allow it),
   * since nothing reads it again.
   */
  public void freeReplaced(Tensor input, Tensor result) {
    if (input != result) {
      free(input);
    }
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

  /**
   * Checks an input of a generated extractor's {@code forward} before anything runs: a null or
   * freed tensor is refused with the same message as the run-time API's, never passed to libtorch.
   *
   * @param input the caller's tensor
   * @param index its position among {@code forward}'s inputs
   * @param name its parameter name (the graph's placeholder)
   * @throws IllegalArgumentException when {@code input} is null, freed or undefined
   */
  public static void requireInput(Tensor input, int index, String name) {
    if (input == null || input.isNull()) {
      throw new IllegalArgumentException("input " + index + " (" + name + ") is null");
    }
    if (!input.defined()) {
      throw new IllegalArgumentException(
          "input "
              + index
              + " ("
              + name
              + ") is an undefined tensor (new Tensor() holds no data); pass a tensor with values");
    }
  }

  /**
   * A feature as a features record's {@code toString} shows it: its type and sizes ({@code Float[2,
   * 64, 8, 8]}), or {@code null}, {@code freed} (closed) or {@code undefined}.
   */
  public static String describe(Tensor feature) {
    if (feature == null) {
      return "null";
    }
    if (feature.isNull()) {
      return "freed";
    }
    if (!feature.defined()) {
      return "undefined";
    }
    String type =
        DType.of(feature.scalar_type())
            .map(DType::torchName)
            .orElse("scalar type " + feature.scalar_type().value);
    return type + Arrays.toString(feature.sizes().vec().get());
  }
}
