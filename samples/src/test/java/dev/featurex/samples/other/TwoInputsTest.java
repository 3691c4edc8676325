package dev.featurex.samples.other;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

/** Several inputs and a Java leaf, in the typed and the run-time extractor. */
class TwoInputsTest {

  @Test
  void leafIsOneNodeAndInputsArePlaceholders() {
    assertThat(FeatureExtraction.getGraphNodeNames(new TwoInputs()).eval())
        .containsExactly("a", "b", "left", "right", "add", "gate")
        .inOrder();
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void bothExtractorsComputeWhatTheModelComputes() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      torch.manual_seed(5);
      TwoInputs model = new TwoInputs();
      Tensor a = torch.randn(3, 4);
      Tensor b = torch.randn(3, 4);
      TwoInputsFeatureExtractor typed = new TwoInputsFeatureExtractor(model);
      FeatureExtractor dynamic = FeatureExtraction.createFeatureExtractor(model, List.of("gate"));
      for (int round = 0; round < 2; round++) {
        Tensor expected = model.forward(a, b);
        try (TwoInputsFeatures f = typed.forward(a, b)) {
          assertThat(torch.equal(f.gate(), expected)).isTrue();
          var named = model.named_modules();
          Tensor mixed =
              named.get("left").asLinear().forward(a).add(named.get("right").asLinear().forward(b));
          assertThat(torch.equal(f.mixed(), mixed)).isTrue();
        }
        Map<String, Tensor> out = dynamic.forward(a, b);
        assertThat(torch.equal(out.get("gate"), expected)).isTrue();
        Weights.perturb(model, round);
      }
    }
  }

  @SuppressWarnings("try") // a PointerScope works by being open, never named
  @Test
  void typedExtractorRefusesNullAndFreedInputsByName() {
    try (PointerScope scope = new PointerScope()) {
      TwoInputsFeatureExtractor typed = new TwoInputsFeatureExtractor(new TwoInputs());
      Tensor a = torch.randn(3, 4);
      Tensor freed = torch.randn(3, 4);
      freed.close();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> typed.forward(a, freed));
      assertThat(e).hasMessageThat().isEqualTo("input 1 (b) is null");
      e = assertThrows(IllegalArgumentException.class, () -> typed.forward(null, a));
      assertThat(e).hasMessageThat().isEqualTo("input 0 (a) is null");
      try (TwoInputsFeatures f = typed.forward(a, a)) { // the extractor still works afterwards
        assertThat(f.gate().size(0)).isEqualTo(3);
      }
    }
  }
}
