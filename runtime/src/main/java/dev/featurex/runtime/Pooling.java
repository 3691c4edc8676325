package dev.featurex.runtime;

import java.util.Locale;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * What is done to an extracted tensor before it is stored: kept as the node computed it, or
 * averaged over its spatial dimensions. The command line's and the Spark job's {@code --pool}.
 */
public enum Pooling {
  /** The tensor as the node computed it. */
  NONE,
  /**
   * The mean over every dimension after the second: {@code N x C x H x W} becomes {@code N x C}, as
   * torchvision's {@code AdaptiveAvgPool2d(1)} followed by {@code flatten(1)}. Tensors of rank 2 or
   * less are kept. Meant for NCHW feature maps: a channels-last map (Swin's stages) would be
   * averaged over its channels.
   */
  AVG;

  /** The pooled tensor: {@code tensor} itself for {@link #NONE} or a rank below 3. */
  public Tensor apply(Tensor tensor) {
    long rank = tensor.dim();
    if (this == NONE || rank <= 2) {
      return tensor;
    }
    long[] dims = new long[(int) rank - 2];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = i + 2;
    }
    return tensor.mean(dims);
  }

  /**
   * A feature copied out of libtorch: its shape and its values, row-major.
   *
   * @param shape the pooled tensor's sizes, the batch dimension first
   * @param values its {@code prod(shape)} values as float32
   */
  public record Copy(long[] shape, float[] values) {}

  /**
   * {@code tensor} pooled, as float32 (converted when it is another type), copied into Java. The
   * tensors made on the way belong to the caller's {@code PointerScope}.
   */
  public Copy copy(Tensor tensor) {
    Tensor t = apply(tensor).contiguous();
    // By value: the presets return a new ScalarType object at every call.
    if (t.scalar_type().value != torch.ScalarType.Float.value) {
      t = t.to(torch.ScalarType.Float);
    }
    long[] shape = t.sizes().vec().get();
    float[] values = new float[Math.toIntExact(t.numel())];
    if (values.length > 0) {
      t.data_ptr_float().get(values);
    }
    return new Copy(shape, values);
  }

  /**
   * The pooling named {@code name} ({@code none} or {@code avg}, any case).
   *
   * @param name the name to read
   * @param what what the name was given as, for the message ({@code "--pool"})
   * @throws IllegalArgumentException for another name, listing the two
   */
  public static Pooling parse(String name, String what) {
    for (Pooling pooling : values()) {
      if (pooling.name().equalsIgnoreCase(name.trim())) {
        return pooling;
      }
    }
    throw new IllegalArgumentException("unknown " + what + " \"" + name + "\"; use none or avg");
  }

  /** The name the options use. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
