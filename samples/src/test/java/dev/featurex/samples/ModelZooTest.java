package dev.featurex.samples;

import static com.google.common.truth.Truth.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** The zoo's models have torchvision's sizes, module names and output shapes. */
class ModelZooTest {

  @Test
  void parameterCountsEqualTorchvision() {
    assertThat(parameterCount(ResNet.resnet18())).isEqualTo(11_689_512L);
    assertThat(parameterCount(ResNet.resnet34())).isEqualTo(21_797_672L);
    assertThat(parameterCount(ResNet.resnet50())).isEqualTo(25_557_032L);
    assertThat(parameterCount(Vgg.vgg11())).isEqualTo(132_863_336L);
  }

  @Test
  void namedModulesContainEveryLeafOfTorchvisionsNodeLists() {
    checkLeafNames("resnet18", ResNet::resnet18);
    checkLeafNames("resnet50", ResNet::resnet50);
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void forwardGivesOneLogitPerClass() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      torch.manual_seed(0);
      Tensor x = torch.randn(2, 3, 224, 224);
      for (Supplier<Module> factory :
          List.<Supplier<Module>>of(ResNet::resnet18, ResNet::resnet50)) {
        ResNet model = (ResNet) factory.get();
        model.eval();
        assertThat(model.forward(x).sizes().vec().get()).isEqualTo(new long[] {2, 1000});
      }
      Vgg vgg = Vgg.vgg11();
      vgg.eval();
      assertThat(vgg.forward(x).sizes().vec().get()).isEqualTo(new long[] {2, 1000});
    }
  }

  @Test
  void modulesInNativeContainersSurviveGarbageCollection() throws InterruptedException {
    // JavaCPP frees a module whose Java object is collected, even inside a container: the models
    // keep theirs reachable, so the tree is intact after collections.
    ResNet resnet = ResNet.resnet18();
    Vgg vgg = Vgg.vgg11();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    assertThat(resnet.named_modules().get("layer2.0.downsample.1").name().getString())
        .isEqualTo("torch::nn::BatchNorm2dImpl");
    assertThat(vgg.named_modules().get("features.2").name().getString())
        .isEqualTo("torch::nn::MaxPool2dImpl");
    assertThat(vgg.named_modules().get("classifier.2").name().getString())
        .isEqualTo("torch::nn::DropoutImpl");
  }

  private static void checkLeafNames(String model, Supplier<Module> factory) {
    List<String> modules = new ArrayList<>();
    Module m = factory.get();
    var keys = m.named_modules().keys();
    for (long i = 0; i < keys.size(); i++) {
      var key = keys.get(i); // the root is "", which JavaCPP returns as null
      modules.add(key == null ? "" : key.getString());
    }
    // Nodes that are not modules: the input, and ops (add, flatten); "relu_1" is a second call of
    // "relu".
    for (String node : ReferenceNodeNames.read(model, "eval")) {
      String name = node.replaceAll("_\\d+$", "");
      if (name.equals("x") || name.equals("flatten") || name.endsWith("add")) {
        continue;
      }
      assertThat(modules).contains(name);
    }
  }

  private static long parameterCount(Module module) {
    return Demo.parameterCount(module);
  }
}
