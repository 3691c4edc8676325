package dev.featurex.samples.other;

import static com.google.common.truth.Truth.assertThat;

import dev.featurex.samples.support.Weights;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** The tracer follows a model it was not written for. */
class SmallNetTest {

  @Test
  void nodeNamesFollowTorchvisionsRules() {
    List<String> expected =
        List.of(
            "input",
            "stem.conv",
            "stem.norm",
            "stem.act",
            "body.0.conv",
            "body.0.norm",
            "body.0.act",
            "body.1.conv",
            "body.1.norm",
            "body.1.act",
            "add",
            "body.2.conv",
            "body.2.norm",
            "body.2.act",
            "mean",
            "size",
            "view",
            "head");
    var configuration = new SmallNet_FeatureGraph().configurations().get(0);
    assertThat(configuration.graph(true).names()).containsExactlyElementsIn(expected).inOrder();
    assertThat(configuration.graph(false).names()).containsExactlyElementsIn(expected).inOrder();
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void featuresEqualTheModelsOwnComputation() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      torch.manual_seed(1);
      SmallNet model = new SmallNet();
      model.eval();
      Tensor x = torch.randn(3, 3, 32, 32);
      SmallNetFeatureExtractor extractor = new SmallNetFeatureExtractor(model);
      for (int round = 0; round < 2; round++) {
        try (SmallNetFeatures f = extractor.forward(x)) {
          assertThat(torch.equal(f.embedding(), model.forward(x))).isTrue();
          assertThat(f.stem().sizes().vec().get()).isEqualTo(new long[] {3, 8, 16, 16});
          assertThat(f.deep().sizes().vec().get()).isEqualTo(new long[] {3, 32, 4, 4});
          var pooled = f.deep().mean(new long[] {2, 3});
          var head = model.named_modules().get("head").asLinear();
          assertThat(torch.equal(head.forward(pooled.view(3, -1)), f.embedding())).isTrue();
        }
        Weights.perturb(model, round);
      }
    }
  }
}
