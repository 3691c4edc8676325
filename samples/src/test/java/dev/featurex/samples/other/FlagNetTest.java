package dev.featurex.samples.other;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.samples.support.Weights;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * The known values forward read when traced are checked on the live model: an instance gets the
 * graph of the configuration it is, never one with the same module tree but another flag.
 */
class FlagNetTest {

  @Test
  void eachInstanceGetsTheGraphOfItsOwnFlag() {
    assertThat(FeatureExtraction.getGraphNodeNames(FlagNet.plain()).eval())
        .containsExactly("x", "fc")
        .inOrder();
    assertThat(FeatureExtraction.getGraphNodeNames(FlagNet.residual()).eval())
        .containsExactly("x", "fc", "add")
        .inOrder();
  }

  @Test
  void theRunTimeExtractorOfTheResidualConfigurationEqualsForward() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      FlagNet model = FlagNet.residual();
      FeatureExtractor extractor = FeatureExtraction.createFeatureExtractor(model, List.of("add"));
      Tensor x = torch.randn(2, 4);
      for (int round = 0; round < 2; round++) {
        assertThat(torch.equal(extractor.forward(x).get("add"), model.forward(x))).isTrue();
        Weights.perturb(model, round);
      }
    }
  }

  @Test
  void theTypedExtractorOfOneFlagRefusesAnInstanceWithTheOther() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new FlagNetFeatureExtractor(FlagNet.residual()));
    assertThat(e)
        .hasMessageThat()
        .contains("model.residual is true, where plain() was traced with false");
  }
}
