package dev.featurex.samples.other;

import static com.google.common.truth.Truth.assertThat;

import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.samples.support.Weights;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** Size is not an issue: a 1,200-layer model's extractors equal its forward. */
class DeepNetTest {

  @Test
  void extractorsOfAThousandLayerModelEqualForward() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      DeepNet model = new DeepNet();
      assertThat(FeatureExtraction.getGraphNodeNames(model).eval()).hasSize(1 + 2 * DeepNet.DEPTH);
      DeepNetFeatureExtractor typed = new DeepNetFeatureExtractor(model);
      FeatureExtractor dynamic = FeatureExtraction.createFeatureExtractor(model, List.of("fc3"));
      Tensor x = torch.randn(3, 2);
      for (int round = 0; round < 2; round++) {
        Tensor expected = model.forward(x);
        try (DeepNetFeatures f = typed.forward(x)) {
          assertThat(torch.equal(f.last(), expected)).isTrue();
          assertThat(torch.equal(f.early(), dynamic.forward(x).get("fc3"))).isTrue();
        }
        Weights.perturb(model, round);
      }
    }
  }
}
