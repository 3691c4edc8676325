package dev.featurex.samples.other;

import static com.google.common.truth.Truth.assertThat;

import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.samples.support.Weights;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** Parameters and buffers read in forward follow the live model, through every weight change. */
class ScaledNetTest {

  @Test
  void parameterIsAGetAttrNodeAndTheBufferIsNoNode() {
    assertThat(FeatureExtraction.getGraphNodeNames(new ScaledNet()).eval())
        .containsExactly("x", "weight", "mul", "sub", "fc")
        .inOrder();
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void extractorsFollowTheWeightsWhenTheyChange() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      ScaledNet model = new ScaledNet();
      model.eval();
      ScaledNetFeatureExtractor typed = new ScaledNetFeatureExtractor(model);
      FeatureExtractor dynamic =
          FeatureExtraction.createFeatureExtractor(model, List.of("weight", "fc"));
      Tensor x = torch.randn(5, 4);
      for (int round = 0; round < 2; round++) {
        Tensor expected = model.forward(x);
        ScaledNetFeatures shown;
        try (ScaledNetFeatures f = typed.forward(x)) {
          assertThat(torch.allclose(f.logits(), expected)).isTrue();
          assertThat(torch.equal(f.weight(), model.named_parameters().get("weight"))).isTrue();
          assertThat(f.toString())
              .isEqualTo(
                  "ScaledNetFeatures[weight=float32[4], centered=float32[5, 4], logits=float32[5, 3]]");
          shown = f;
        }
        assertThat(shown.toString())
            .isEqualTo("ScaledNetFeatures[weight=freed, centered=freed, logits=freed]");
        Map<String, Tensor> out = dynamic.forward(x);
        assertThat(torch.allclose(out.get("fc"), expected)).isTrue();
        Weights.perturb(model, 7 + round);
      }
    }
  }
}
