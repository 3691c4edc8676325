package dev.featurex.runtime.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;

/**
 * The memory of a contiguous CPU tensor as direct {@link ByteBuffer}s (a buffer holds at most 2
 * GiB, so larger tensors come in 1 GiB windows): what the readers fill and the writers drain in
 * bulk.
 */
final class TensorBytes {

  private static final long WINDOW = 1L << 30;

  private TensorBytes() {}

  /** Windows over the {@code nbytes} bytes at {@code tensor}'s data pointer, in order. */
  static List<ByteBuffer> windows(Tensor tensor, long nbytes) {
    List<ByteBuffer> windows = new ArrayList<>();
    if (nbytes == 0) {
      return windows;
    }
    BytePointer base = new BytePointer(tensor.data_ptr()).capacity(nbytes);
    for (long start = 0; start < nbytes; start += WINDOW) {
      long end = Math.min(nbytes, start + WINDOW);
      windows.add(base.position(start).limit(end).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
    }
    return windows;
  }
}
