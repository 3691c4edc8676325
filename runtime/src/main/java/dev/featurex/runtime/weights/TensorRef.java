package dev.featurex.runtime.weights;

import java.util.Arrays;
import java.util.List;

/**
 * A tensor of a checkpoint, not yet read: a strided view of a {@link Storage}, as {@code
 * torch._utils._rebuild_tensor_v2} describes it. The readers build one only after checking that
 * every element it reaches lies inside its storage.
 *
 * @param storage the storage that holds the elements
 * @param offset the element of the storage where the tensor starts
 * @param shape the size of each dimension
 * @param stride the step, in elements, of each dimension
 */
public record TensorRef(Storage storage, long offset, long[] shape, long[] stride) {

  /** Copies the arrays, so a reference never changes. */
  public TensorRef {
    shape = shape.clone();
    stride = stride.clone();
  }

  /** The element type. */
  public DType dtype() {
    return storage.dtype();
  }

  /** The size of each dimension, a copy. */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The step of each dimension, a copy. */
  @Override
  public long[] stride() {
    return stride.clone();
  }

  /** The shape as a list, as {@link dev.featurex.runtime.LoadResult} reports it. */
  public List<Long> shapeList() {
    return Arrays.stream(shape).boxed().toList();
  }

  /** The number of elements. */
  public long numel() {
    long n = 1;
    for (long size : shape) {
      n *= size;
    }
    return n;
  }

  /**
   * Whether the tensor covers its whole storage in row-major order, so its bytes are the storage's
   * bytes as they are.
   */
  public boolean isWholeContiguousStorage() {
    if (offset != 0 || numel() != storage.numel()) {
      return false;
    }
    long expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] != 1 && stride[d] != expected) {
        return false;
      }
      expected *= shape[d];
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorRef t
        && storage.equals(t.storage)
        && offset == t.offset
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(stride, t.stride);
  }

  @Override
  public int hashCode() {
    return 31 * storage.hashCode() + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return dtype().torchName() + Arrays.toString(shape) + " in " + storage.name();
  }
}
