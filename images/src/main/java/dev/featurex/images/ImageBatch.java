package dev.featurex.images;

import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A batch of preprocessed images: a float {@code N x 3 x H x W} array in row order of {@link
 * #sources()}, and the images of this batch that failed (not in the array).
 *
 * <p>{@code N} can be smaller than the loader's batch size (failures, the last batch), and zero
 * when every image of the batch failed.
 */
public final class ImageBatch {

  private final long index;
  private final float[] data;
  private final int height;
  private final int width;
  private final List<ImageSource> sources;
  private final List<ImageFailure> failures;

  ImageBatch(
      long index,
      float[] data,
      int height,
      int width,
      List<ImageSource> sources,
      List<ImageFailure> failures) {
    this.index = index;
    this.data = data;
    this.height = height;
    this.width = width;
    this.sources = List.copyOf(sources);
    this.failures = List.copyOf(failures);
    if (data.length != (long) sources.size() * 3 * height * width) {
      throw new IllegalArgumentException("data does not hold " + sources.size() + " images");
    }
  }

  /** This batch's position among the loader's batches, from 0. */
  public long index() {
    return index;
  }

  /** The number of images in the tensor: {@code N}. */
  public int size() {
    return sources.size();
  }

  /** The shape of the tensor: {@code {N, 3, H, W}}. */
  public long[] shape() {
    return new long[] {sources.size(), 3, height, width};
  }

  /**
   * The preprocessed images, {@code N x 3 x H x W} floats, row-major. The array is this batch's
   * own, not a copy.
   */
  public float[] data() {
    return data;
  }

  /** The image of each row of the tensor, in row order. */
  public List<ImageSource> sources() {
    return sources;
  }

  /** The images of this batch that failed, in input order. */
  public List<ImageFailure> failures() {
    return failures;
  }

  /**
   * A new float32 tensor {@code N x 3 x H x W} on the CPU with {@link #data()}: one bulk copy into
   * memory that libtorch owns. Close it, or let a {@code PointerScope} do so, when done.
   */
  public Tensor toTensor() {
    Tensor tensor = torch.empty(shape());
    if (data.length > 0) {
      tensor.data_ptr_float().put(data, 0, data.length);
    }
    return tensor;
  }

  @Override
  public String toString() {
    return "ImageBatch[index="
        + index
        + ", images="
        + sources.size()
        + ", failures="
        + failures.size()
        + ", "
        + height
        + "x"
        + width
        + "]";
  }
}
