package dev.featurex.samples.other;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.runtime.ExtractorOptions;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * torchvision's tests of {@code tracer_kwargs} and of training through extractors ({@code
 * test_leaf_module_and_function}, {@code test_forward_backward}), ported, and the run-time choice
 * among traced methods.
 */
class TracerOptionsRuntimeTest {

  @Test
  void leafModuleAndLeafFunctionAreOneNodeEachAndBackwardReachesTheConvolution() {
    try (PointerScope scope = new PointerScope()) {
      LeafTestModule model = new LeafTestModule();
      List<String> names = FeatureExtraction.getGraphNodeNames(model).train();
      assertThat(names)
          .containsExactly("x", "size", "leafFunction", "conv", "leaf_module")
          .inOrder();
      assertThat(names).doesNotContain("relu");
      LeafTestModuleFeatureExtractor extractor = new LeafTestModuleFeatureExtractor(model);
      extractor.train(true);
      Tensor input = torch.randn(2, 3, 8, 8);
      try (LeafTestModuleFeatures f = extractor.forward(input)) {
        assertThat(torch.equal(f.x(), input)).isTrue();
        f.leaf_module().mean().backward();
      }
      // Closing the features closed the extractor's handle on the input, not the caller's.
      assertThat(input.isNull()).isFalse();
      assertThat(input.sum().item_float()).isFinite();
      Tensor grad = model.named_parameters().get("conv.weight").grad();
      assertThat(grad.defined()).isTrue();
      assertThat(grad.abs().sum().item_float()).isGreaterThan(0f);
    }
  }

  @Test
  void gradientsThroughBothExtractorsAreTheModelsOwn() {
    try (PointerScope scope = new PointerScope()) {
      torch.manual_seed(3);
      TrainNet model = new TrainNet();
      model.train(true);
      Tensor x = torch.randn(4, 3, 8, 8);

      model.stem(x).mean().add(model.forward(x).sum()).backward();
      Map<String, Tensor> expected = grads(model);

      zeroGrads(model);
      try (TrainNetFeatures f = new TrainNetFeatureExtractor(model).forward(x)) {
        f.stem().mean().add(f.logits().sum()).backward();
      }
      assertEqualGrads(grads(model), expected);

      zeroGrads(model);
      FeatureExtractor dynamic =
          FeatureExtraction.createFeatureExtractor(model, List.of("relu", "fc"));
      Map<String, Tensor> out = dynamic.forward(x);
      out.get("relu").mean().add(out.get("fc").sum()).backward();
      assertEqualGrads(grads(model), expected);
    }
  }

  private static Map<String, Tensor> grads(TrainNet model) {
    Map<String, Tensor> grads = new java.util.LinkedHashMap<>();
    StringTensorDict parameters = model.named_parameters();
    for (long i = 0; i < parameters.size(); i++) {
      grads.put(parameters.get(i).key().getString(), parameters.get(i).value().grad().clone());
    }
    return grads;
  }

  private static void zeroGrads(TrainNet model) {
    try (NoGradGuard noGrad = new NoGradGuard()) {
      StringTensorDict parameters = model.named_parameters();
      for (long i = 0; i < parameters.size(); i++) {
        parameters.get(i).value().grad().zero_();
      }
    }
  }

  private static void assertEqualGrads(Map<String, Tensor> actual, Map<String, Tensor> expected) {
    assertThat(actual.keySet()).containsExactlyElementsIn(expected.keySet()).inOrder();
    for (String name : expected.keySet()) {
      assertThat(actual.get(name).allclose(expected.get(name), 1e-5, 1e-6, false)).isTrue();
    }
  }

  @Test
  void concreteArgumentsChooseTheTracedGraphAtRunTime() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      AuxNet model = new AuxNet();
      IllegalArgumentException ambiguous =
          assertThrows(
              IllegalArgumentException.class, () -> FeatureExtraction.getGraphNodeNames(model));
      assertThat(ambiguous)
          .hasMessageThat()
          .contains("was traced as forward(returnAux=false) and forward(returnAux=true)");

      ExtractorOptions withAux =
          ExtractorOptions.builder()
              .returnNodes(List.of("aux"))
              .concreteArg("returnAux", true)
              .build();
      assertThat(FeatureExtraction.getGraphNodeNames(model, withAux).eval())
          .containsExactly("x", "relu", "aux")
          .inOrder();
      Tensor x = torch.randn(2, 4);
      FeatureExtractor dynamic = FeatureExtraction.createFeatureExtractor(model, withAux);
      Tensor expected = model.forward(x, true);
      assertThat(torch.equal(dynamic.forward(x).get("aux"), expected)).isTrue();
      try (AuxNetAuxFeatures f = new AuxNetAuxFeatureExtractor(model).forward(x)) {
        assertThat(torch.equal(f.out(), expected)).isTrue();
      }
      try (AuxNetPlainFeatures f = new AuxNetPlainFeatureExtractor(model).forward(x)) {
        assertThat(torch.equal(f.relu(), model.forward(x, false))).isTrue();
      }

      ExtractorOptions other =
          ExtractorOptions.builder().returnNodes(List.of("relu")).forward("features").build();
      IllegalArgumentException missing =
          assertThrows(
              IllegalArgumentException.class,
              () -> FeatureExtraction.createFeatureExtractor(model, other));
      assertThat(missing).hasMessageThat().contains("not as features()");
    }
  }
}
