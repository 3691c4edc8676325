package dev.featurex.samples.other;

import static com.google.common.truth.Truth.assertThat;

import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.samples.support.Weights;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** Models with plain containers and attention are recognised and extracted at run time. */
class ContainerNetTest {

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void namesAndFeaturesOfAModelWithAPlainContainerAndAttention() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      ContainerNet model = new ContainerNet();
      model.eval();
      assertThat(FeatureExtraction.getGraphNodeNames(model).eval())
          .containsExactly("x", "attention", "getitem", "group.fc")
          .inOrder();
      ContainerNetFeatureExtractor extractor = new ContainerNetFeatureExtractor(model);
      Tensor x = torch.randn(5, 2, 8);
      for (int round = 0; round < 2; round++) {
        try (ContainerNetFeatures f = extractor.forward(x)) {
          assertThat(torch.allclose(f.out(), model.forward(x))).isTrue();
        }
        Weights.perturb(model, round);
      }
    }
  }
}
