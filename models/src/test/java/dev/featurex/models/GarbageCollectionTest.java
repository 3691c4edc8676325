package dev.featurex.models;

import static com.google.common.truth.Truth.assertThat;

import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * JavaCPP frees a native object whose Java object is collected, even one something else still
 * points into, and calls back into the Java object of a module made in Java: the zoo's models keep
 * every module they make reachable, so their trees stay whole and usable after collections, and
 * extractors hold what they read by handles of their own.
 */
class GarbageCollectionTest {

  private record Probe(Supplier<Module> builder, String path, String type) {}

  @Test
  void modulesInNativeContainersSurviveCollections() throws InterruptedException {
    List<Probe> probes =
        List.of(
            new Probe(ResNet::resnet18, "layer2.0.downsample.1", "torch::nn::BatchNorm2dImpl"),
            new Probe(Vgg::vgg11, "features.2", "torch::nn::MaxPool2dImpl"),
            new Probe(Vgg::vgg11, "classifier.2", "torch::nn::DropoutImpl"),
            new Probe(MobileNetV2::mobilenet_v2, "features.1.conv.1", "torch::nn::Conv2dImpl"),
            new Probe(
                DenseNet::densenet121,
                "features.denseblock1.denselayer1.norm1",
                "torch::nn::BatchNorm2dImpl"),
            new Probe(
                RegNet::regnet_x_400mf,
                "trunk_output.block1.block1-0.proj.1",
                "torch::nn::BatchNorm2dImpl"),
            new Probe(
                () -> new VisionTransformer(32, 8, 2, 2, 16, 32, 0, 0, 10),
                "encoder.layers.encoder_layer_1.ln_1",
                "torch::nn::LayerNormImpl"));
    List<Module> models = probes.stream().map(p -> p.builder().get()).toList();
    collect();
    for (int i = 0; i < probes.size(); i++) {
      Probe probe = probes.get(i);
      assertThat(models.get(i).named_modules().get(probe.path()).name().getString())
          .isEqualTo(probe.type());
      // train() reaches every module, calling back into the Java object of each one made in Java
      // (a plain new Module() included): one collected would be a NullPointerException here.
      models.get(i).eval();
      assertThat(models.get(i).named_modules().get(probe.path()).is_training()).isFalse();
    }
  }

  /**
   * A run-time extractor holds the parameters its graph reads ({@code get_attr} nodes, here each
   * ConvNeXt block's {@code layer_scale}) by handles of its own. It found them in a {@code
   * named_parameters()} dict, which the collector frees and other objects then reuse; before the
   * fix the bound tensors pointed into it, and ConvNeXt's, ViT's and Swin's extractors crashed the
   * JVM after a collection. Compared with an extractor made afresh, before and after the weights
   * change.
   */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void extractorsReadingParametersSurviveCollections() throws InterruptedException {
    ConvNeXt model = ConvNeXt.convnext_tiny();
    model.eval();
    String scale = "features.1.0.features_1_0_layer_scale";
    List<String> nodes = List.of(scale, "features.1");
    FeatureExtractor extractor = FeatureExtraction.createFeatureExtractor(model, nodes);
    collect();
    List<StringTensorDict> reusing = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      LinearImpl other = new LinearImpl(4, 4);
      other.register_parameter("scale", torch.full(new long[] {96, 1, 1}, new Scalar(-3.0)));
      reusing.add(other.named_parameters(true));
    }
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      Tensor x = torch.randn(1, 3, 64, 64);
      for (int round = 0; round < 2; round++) {
        Map<String, Tensor> out = extractor.forward(x);
        Map<String, Tensor> fresh =
            FeatureExtraction.createFeatureExtractor(model, nodes).forward(x);
        assertThat(
                torch.equal(
                    out.get(scale), model.named_parameters().get("features.1.0.layer_scale")))
            .isTrue();
        assertThat(torch.equal(out.get("features.1"), fresh.get("features.1"))).isTrue();
        StringTensorDict parameters = model.named_parameters(true);
        for (long i = 0; i < parameters.size(); i++) {
          Tensor p = parameters.get(i).value();
          p.add_(torch.randn_like(p).mul(new Scalar(0.01)));
        }
      }
    }
    assertThat(reusing).hasSize(200);
  }

  private static void collect() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
  }
}
