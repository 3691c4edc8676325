package dev.featurex.models;

import static com.google.common.truth.Truth.assertThat;

import java.util.List;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Module;
import org.junit.jupiter.api.Test;

/**
 * JavaCPP frees a module whose Java object is collected, even inside a native container: the zoo's
 * models keep every module they put into a container reachable, so their trees stay whole after
 * collections.
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
                "torch::nn::BatchNorm2dImpl"));
    List<Module> models = probes.stream().map(p -> p.builder().get()).toList();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    for (int i = 0; i < probes.size(); i++) {
      Probe probe = probes.get(i);
      assertThat(models.get(i).named_modules().get(probe.path()).name().getString())
          .isEqualTo(probe.type());
    }
  }
}
