package dev.featurex.samples.other;

import static com.google.common.truth.Truth.assertThat;

import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.samples.support.Weights;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * Models the run-time once refused although they compiled: a leaf without source (its children were
 * missing from the recorded tree), a module registered under two names, a class named with a
 * dollar.
 */
class CompiledApartTest {

  @Test
  void aBlockWithoutSourceIsALeafAndTheModelIsRecognised() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      UsesLibraryBlock model = new UsesLibraryBlock();
      assertThat(FeatureExtraction.getGraphNodeNames(model).eval())
          .containsExactly("x", "block", "head")
          .inOrder();
      UsesLibraryBlockFeatureExtractor extractor = new UsesLibraryBlockFeatureExtractor(model);
      Tensor x = torch.randn(3, 4);
      for (int round = 0; round < 2; round++) {
        try (UsesLibraryBlockFeatures f = extractor.forward(x)) {
          assertThat(torch.equal(f.out(), model.forward(x))).isTrue();
        }
        Weights.perturb(model, round);
      }
    }
  }

  @Test
  void aClassNamedWithADollarIsFound() {
    assertThat(FeatureExtraction.getGraphNodeNames(new Net$V2()).eval())
        .containsExactly("x", "relu")
        .inOrder();
  }
}
