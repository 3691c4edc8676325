package dev.featurex.spark;

import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.runtime.Pooling;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The features of one batch, copied out of libtorch: for each requested key, the shape of one
 * image's feature and the batch's values, image after image.
 */
final class BatchFeatures {

  /**
   * One key's features for the whole batch.
   *
   * @param shape one image's feature shape (the batch dimension removed)
   * @param values {@code images * prod(shape)} floats, row-major, image after image
   */
  record Feature(int[] shape, float[] values) {

    /** The number of floats of one image. */
    int perImage() {
      int n = 1;
      for (int s : shape) {
        n = Math.multiplyExact(n, s);
      }
      return n;
    }

    /** Image {@code row}'s values, a new array. */
    float[] row(int row) {
      int n = perImage();
      return Arrays.copyOfRange(values, row * n, (row + 1) * n);
    }
  }

  private BatchFeatures() {}

  /**
   * Runs {@code extractor} on {@code images} preprocessed images of {@code height x width}, held in
   * the first {@code images * 3 * height * width} floats of {@code data}, and returns each key's
   * features, pooled, as float32. Every tensor of the call is freed before it returns.
   */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  static Map<String, Feature> run(
      FeatureExtractor extractor,
      Pooling pooling,
      float[] data,
      int images,
      int height,
      int width) {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      Tensor input = torch.empty(images, 3, height, width);
      input.data_ptr_float().put(data, 0, images * 3 * height * width);
      Map<String, Feature> features = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> e : extractor.forward(input).entrySet()) {
        Pooling.Copy copy = pooling.copy(e.getValue());
        long[] sizes = copy.shape();
        int[] shape = new int[sizes.length - 1];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = Math.toIntExact(sizes[i + 1]);
        }
        features.put(e.getKey(), new Feature(shape, copy.values()));
      }
      return features;
    }
  }
}
