package dev.featurex.samples;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.models.ResNet;
import dev.featurex.models.ResNetFeatureExtractor;
import dev.featurex.models.ResNetFeatures;
import dev.featurex.models.Vgg;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.runtime.GraphNodeNames;
import dev.featurex.samples.support.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * The run-time API on the samples: torchvision's lists, and the same tensors as the typed
 * extractor.
 */
class RuntimeApiTest {

  @Test
  void graphNodeNamesEqualTorchvisions() {
    GraphNodeNames r18 = FeatureExtraction.getGraphNodeNames(ResNet.resnet18());
    assertThat(r18.train())
        .containsExactlyElementsIn(ReferenceNodeNames.read("resnet18", "train"))
        .inOrder();
    assertThat(r18.eval())
        .containsExactlyElementsIn(ReferenceNodeNames.read("resnet18", "eval"))
        .inOrder();
    GraphNodeNames r50 = FeatureExtraction.getGraphNodeNames(ResNet.resnet50());
    assertThat(r50.train())
        .containsExactlyElementsIn(ReferenceNodeNames.read("resnet50", "train"))
        .inOrder();
    assertThat(r50.eval())
        .containsExactlyElementsIn(ReferenceNodeNames.read("resnet50", "eval"))
        .inOrder();
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void dynamicExtractorEqualsTheGeneratedOne() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      torch.manual_seed(3);
      ResNet model = ResNet.resnet18();
      model.eval();
      Tensor x = torch.randn(2, 3, 64, 64);
      Map<String, String> nodes = new LinkedHashMap<>();
      nodes.put("layer1", "layer1");
      nodes.put("layer2", "layer2");
      nodes.put("layer3", "layer3");
      nodes.put("layer4", "layer4");
      nodes.put("avgpool", "pooled");
      nodes.put("fc", "logits");
      FeatureExtractor dynamic = FeatureExtraction.createFeatureExtractor(model, nodes);
      ResNetFeatureExtractor generated = new ResNetFeatureExtractor(model);
      for (int round = 0; round < 2; round++) {
        Map<String, Tensor> out = dynamic.forward(x);
        try (ResNetFeatures typed = generated.forward(x)) {
          assertThat(List.copyOf(out.keySet()))
              .containsExactlyElementsIn(typed.asMap().keySet())
              .inOrder();
          for (Map.Entry<String, Tensor> e : typed.asMap().entrySet()) {
            assertThat(torch.equal(out.get(e.getKey()), e.getValue())).isTrue();
          }
          assertThat(torch.equal(typed.logits(), model.forward(x))).isTrue();
        }
        Weights.perturb(model, round);
      }
    }
  }

  @Test
  void vggNamesPathsInsideItsSequentials() {
    Vgg vgg = Vgg.vgg11();
    GraphNodeNames names = FeatureExtraction.getGraphNodeNames(vgg);
    assertThat(names.eval()).contains("features.20");
    assertThat(names.eval())
        .containsAtLeast("x", "features.0", "avgpool", "flatten", "classifier.6")
        .inOrder();
  }

  @Test
  void misspelledNodeAtRunTimeSuggestsNames() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                FeatureExtraction.createFeatureExtractor(
                    ResNet.resnet18(), List.of("layer1.0.rleu")));
    assertThat(e).hasMessageThat().contains("node: 'layer1.0.rleu' is not present in model");
    assertThat(e).hasMessageThat().contains("\"layer1.0.relu\"");
  }

  @Test
  void misspelledPrefixAtRunTimeSuggestsThePrefix() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FeatureExtraction.createFeatureExtractor(ResNet.resnet18(), List.of("layr4")));
    assertThat(e).hasMessageThat().endsWith("Did you mean \"layer4\", \"layer1\" or \"layer2\"?");
  }
}
