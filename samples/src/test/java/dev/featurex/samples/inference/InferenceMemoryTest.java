package dev.featurex.samples.inference;

import static com.google.common.truth.Truth.assertThat;

import dev.featurex.models.ResNet;
import dev.featurex.models.ResNetFeatureExtractor;
import dev.featurex.models.ResNetFeatures;
import dev.featurex.runtime.ExtractorOptions;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.runtime.Optimization;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * Freeing after the last use keeps JavaCPP's count of live native objects flat over many calls,
 * never frees the caller's input or a returned feature (also when the input itself is requested),
 * and hands the features to the caller's scope. Peak memory is measured by {@code MemoryHarness}
 * (docs/benchmarks.md), not here.
 */
class InferenceMemoryTest {

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void nativeObjectsStayFlatWithEveryOptimization() {
    ResNet model = ResNet.resnet18();
    model.eval();
    ResNetFeatureExtractor typed = new ResNetFeatureExtractor(model, Optimization.all());
    FeatureExtractor dynamic =
        FeatureExtraction.createFeatureExtractor(
            model,
            ExtractorOptions.builder()
                .returnNodes(List.of("layer1", "layer4", "fc"))
                .optimizations(Optimization.all())
                .build());
    try (NoGradGuard noGrad = new NoGradGuard()) {
      Tensor x = torch.randn(1, 3, 32, 32);
      typed.forward(x).close(); // warm up: folded weights, lazily created natives
      dynamic.forward(x).values().forEach(Tensor::close);
      long before = Pointer.totalCount();
      for (int i = 0; i < 20; i++) {
        try (ResNetFeatures f = typed.forward(x)) {
          assertThat(f.logits().size(1)).isEqualTo(1000);
        }
        Map<String, Tensor> out = dynamic.forward(x);
        assertThat(out.get("fc").size(1)).isEqualTo(1000);
        out.values().forEach(Tensor::close);
      }
      // At most: the garbage collector may free unrelated objects meanwhile, never add any.
      assertThat(Pointer.totalCount()).isAtMost(before);
    }
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void theInputAndTheFeaturesAreNeverFreed() {
    ResNet model = ResNet.resnet18();
    model.eval();
    FeatureExtractor extractor =
        FeatureExtraction.createFeatureExtractor(
            model,
            ExtractorOptions.builder()
                .returnNodes(List.of("x", "layer1", "layer2"))
                .optimizations(Optimization.all())
                .build());
    ResNetFeatureExtractor typed = new ResNetFeatureExtractor(model, Optimization.all());
    try (NoGradGuard noGrad = new NoGradGuard()) {
      Tensor x = torch.randn(1, 3, 32, 32);
      Tensor copy = x.clone();
      Map<String, Tensor> kept;
      ResNetFeatures features;
      try (PointerScope caller = new PointerScope()) {
        kept = extractor.forward(x);
        features = typed.forward(x);
        assertThat(torch.equal(kept.get("x"), x)).isTrue();
        assertThat(kept.get("x")).isNotSameInstanceAs(x);
        // Each extractor times its own kernel choice (ONEDNN_CONVOLUTION): equal up to rounding.
        assertThat(torch.allclose(kept.get("layer1"), features.layer1(), 1e-5, 1e-6, false))
            .isTrue();
        assertThat(features.layer4().isNull()).isFalse();
      }
      // The caller's scope owned the features; the input is untouched and alive.
      assertThat(kept.get("layer1").isNull()).isTrue();
      assertThat(features.layer1().isNull()).isTrue();
      assertThat(x.isNull()).isFalse();
      assertThat(torch.equal(x, copy)).isTrue();
    }
  }
}
