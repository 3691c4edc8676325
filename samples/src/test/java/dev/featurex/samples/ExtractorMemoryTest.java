package dev.featurex.samples;

import static com.google.common.truth.Truth.assertThat;

import dev.featurex.models.ResNet;
import dev.featurex.models.ResNetFeatureExtractor;
import dev.featurex.models.ResNetFeatures;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * The typed extractor frees every intermediate tensor before forward returns, and closing the
 * record frees the features: JavaCPP's count of live native objects does not grow over many calls.
 * (Resident memory over 2,000 calls is measured by {@code MemoryHarness}; see docs/benchmarks.md.)
 */
class ExtractorMemoryTest {

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void intermediatesAndClosedFeaturesAreFreed() {
    ResNet model = ResNet.resnet18();
    model.eval();
    ResNetFeatureExtractor extractor = new ResNetFeatureExtractor(model);
    try (NoGradGuard noGrad = new NoGradGuard()) {
      Tensor x = torch.randn(1, 3, 32, 32);
      extractor.forward(x).close(); // warm up: lazily created natives
      long before = Pointer.totalCount();
      for (int i = 0; i < 20; i++) {
        try (ResNetFeatures f = extractor.forward(x)) {
          assertThat(f.logits().size(1)).isEqualTo(1000);
        }
      }
      // At most: the garbage collector may free unrelated objects meanwhile, never add any.
      assertThat(Pointer.totalCount()).isAtMost(before);
    }
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void featuresGoToTheCallersScope() {
    ResNet model = ResNet.resnet18();
    model.eval();
    ResNetFeatureExtractor extractor = new ResNetFeatureExtractor(model);
    try (NoGradGuard noGrad = new NoGradGuard()) {
      Tensor x = torch.randn(1, 3, 32, 32);
      extractor.forward(x).close();
      long before = Pointer.totalCount();
      ResNetFeatures kept;
      try (PointerScope scope = new PointerScope()) {
        kept = extractor.forward(x);
        assertThat(kept.layer1().isNull()).isFalse();
      }
      assertThat(kept.layer1().isNull()).isTrue(); // freed with the caller's scope
      assertThat(Pointer.totalCount()).isAtMost(before);
    }
  }
}
