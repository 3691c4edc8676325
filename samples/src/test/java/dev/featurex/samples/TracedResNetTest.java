package dev.featurex.samples;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.models.ResNet;
import dev.featurex.models.ResNetFeatureExtractor;
import dev.featurex.models.ResNetFeatures;
import dev.featurex.models.ResNet_FeatureGraph;
import dev.featurex.runtime.internal.TracedConfiguration;
import dev.featurex.runtime.internal.TracedModel;
import dev.featurex.samples.support.Weights;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringSharedModuleDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * The processor's traces of the samples equal torchvision's, and the typed extractor computes them.
 */
class TracedResNetTest {

  private static TracedConfiguration configuration(String factory) {
    for (TracedConfiguration c : new ResNet_FeatureGraph().configurations()) {
      if (c.factory().equals(factory)) {
        return c;
      }
    }
    throw new AssertionError("no configuration " + factory);
  }

  @Test
  void resnetNodeNamesEqualTorchvisionInBothModes() {
    for (String model : List.of("resnet18", "resnet50")) {
      TracedConfiguration c = configuration(model + "()");
      assertThat(c.graph(true).names())
          .containsExactlyElementsIn(ReferenceNodeNames.read(model, "train"))
          .inOrder();
      assertThat(c.graph(false).names())
          .containsExactlyElementsIn(ReferenceNodeNames.read(model, "eval"))
          .inOrder();
    }
  }

  @Test
  void generatedClassIsFoundByTheRuntimesNamingRule() {
    assertThat(TracedModel.generatedClassName(ResNet.class))
        .isEqualTo(ResNet_FeatureGraph.class.getName());
  }

  @Test
  void moduleTreeSignatureMatchesTheInstance() {
    assertThat(dev.featurex.runtime.execute.ModuleTrees.describe(ResNet.resnet50()))
        .containsExactlyElementsIn(configuration("resnet50()").moduleTree())
        .inOrder();
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void typedExtractorComputesWhatTheModelComputes() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      torch.manual_seed(0);
      ResNet model = ResNet.resnet18();
      model.eval();
      Tensor x = torch.randn(2, 3, 64, 64);
      ResNetFeatureExtractor extractor = new ResNetFeatureExtractor(model);
      try (ResNetFeatures f = extractor.forward(x)) {
        assertThat(torch.equal(f.logits(), model.forward(x))).isTrue();
      }
      Weights.perturb(model, 3);
      try (ResNetFeatures f = extractor.forward(x)) {
        assertThat(torch.equal(f.logits(), model.forward(x))).isTrue();
        StringSharedModuleDict named = model.named_modules();
        Tensor pooled = named.get("avgpool").asAdaptiveAvgPool2d().forward(f.layer4());
        assertThat(torch.equal(pooled, f.pooled())).isTrue();
        assertThat(f.layer1().sizes().vec().get()).isEqualTo(new long[] {2, 64, 16, 16});
        assertThat(f.layer4().sizes().vec().get()).isEqualTo(new long[] {2, 512, 2, 2});
        assertThat(List.copyOf(f.asMap().keySet()))
            .containsExactly("layer1", "layer2", "layer3", "layer4", "pooled", "logits")
            .inOrder();
      }
    }
  }

  @Test
  void extractorSharesTheModelsParameters() {
    ResNet model = ResNet.resnet18();
    ResNetFeatureExtractor extractor = new ResNetFeatureExtractor(model);
    var mine = extractor.named_parameters();
    var theirs = model.named_parameters();
    assertThat(mine.size()).isEqualTo(theirs.size());
    for (long i = 0; i < mine.size(); i++) {
      assertThat(mine.get(i).value().data_ptr()).isEqualTo(theirs.get(i).value().data_ptr());
    }
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void extractorFollowsTrainAndEval() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      ResNet model = ResNet.resnet18();
      Tensor x = torch.randn(2, 3, 32, 32);
      ResNetFeatureExtractor extractor = new ResNetFeatureExtractor(model);
      assertThat(extractor.is_training()).isTrue();
      extractor.eval();
      // The model's modules are the extractor's: eval() reaches them (the model's root flag is its
      // own).
      assertThat(model.named_modules().get("layer1.0.bn1").is_training()).isFalse();
      try (ResNetFeatures f = extractor.forward(x)) {
        assertThat(torch.equal(f.logits(), model.forward(x))).isTrue();
      }
    }
  }

  @Test
  void extractorRejectsAnotherConfiguration() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new ResNetFeatureExtractor(ResNet.resnet50()));
    assertThat(e).hasMessageThat().contains("resnet18()");
    assertThat(e)
        .hasMessageThat()
        .contains(
            "named_modules() entry 9 is \"layer1.0.relu torch::nn::ReLUImpl\" where this instance has \"layer1.0.conv2 torch::nn::Conv2dImpl\"");
  }
}
