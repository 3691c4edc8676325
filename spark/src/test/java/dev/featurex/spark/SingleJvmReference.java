package dev.featurex.spark;

import dev.featurex.images.BatchLoader;
import dev.featurex.images.ImageBatch;
import dev.featurex.images.ImageSource;
import dev.featurex.images.Preprocessing;
import dev.featurex.runtime.ExtractorOptions;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * The features the job must produce, computed the single-JVM way: the images module's {@link
 * BatchLoader} and a run-time extractor on the model, in one loop, without Spark; pooling done here
 * in plain Java arithmetic, apart from the job's code.
 */
final class SingleJvmReference {

  /**
   * One image's feature.
   *
   * @param shape without the batch dimension
   * @param values row-major
   */
  record Feature(long[] shape, float[] values) {}

  private SingleJvmReference() {}

  /**
   * Each loadable image's features, keyed by the image's absolute path then by the extractor's key;
   * images that fail to load are absent.
   */
  @SuppressWarnings("try")
  static Map<String, Map<String, Feature>> features(
      Module model,
      Map<String, String> nodes,
      Preprocessing preprocessing,
      boolean avgPool,
      List<Path> images) {
    model.eval();
    FeatureExtractor extractor =
        FeatureExtraction.createFeatureExtractor(
            model, ExtractorOptions.builder().returnNodes(nodes).suppressDiffWarning(true).build());
    Map<String, Map<String, Feature>> result = new HashMap<>();
    try (BatchLoader loader =
        BatchLoader.builder(preprocessing)
            .batchSize(5)
            .threads(1)
            .open(images.stream().map(ImageSource::of).toList())) {
      while (loader.hasNext()) {
        ImageBatch batch = loader.next();
        if (batch.size() == 0) {
          continue;
        }
        try (PointerScope scope = new PointerScope();
            NoGradGuard noGrad = new NoGradGuard()) {
          Map<String, Tensor> out = extractor.forward(batch.toTensor());
          for (Map.Entry<String, Tensor> e : out.entrySet()) {
            Tensor t = e.getValue().contiguous();
            long[] shape = t.sizes().vec().get();
            float[] all = new float[Math.toIntExact(t.numel())];
            t.data_ptr_float().get(all);
            int per = all.length / batch.size();
            for (int i = 0; i < batch.size(); i++) {
              float[] values = Arrays.copyOfRange(all, i * per, (i + 1) * per);
              long[] one = Arrays.copyOfRange(shape, 1, shape.length);
              Feature f = avgPool ? pool(one, values) : new Feature(one, values);
              String path = ((ImageSource.FileSource) batch.sources().get(i)).path().toString();
              result.computeIfAbsent(path, k -> new LinkedHashMap<>()).put(e.getKey(), f);
            }
          }
        }
      }
    }
    return result;
  }

  /** The mean over every dimension after the first (channel) one, in double precision. */
  private static Feature pool(long[] shape, float[] values) {
    if (shape.length <= 1) {
      return new Feature(shape, values);
    }
    int channels = (int) shape[0];
    int per = values.length / channels;
    float[] pooled = new float[channels];
    for (int c = 0; c < channels; c++) {
      double sum = 0;
      for (int i = 0; i < per; i++) {
        sum += values[c * per + i];
      }
      pooled[c] = (float) (sum / per);
    }
    return new Feature(new long[] {channels}, pooled);
  }
}
