package dev.featurex.models;

import static com.google.common.truth.Truth.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.pytorch.Module;
import org.junit.jupiter.api.Test;

/** The zoo's table against the builders the package declares. */
class ZooTest {

  private static final List<Class<? extends Module>> FAMILIES =
      List.of(
          ResNet.class,
          Vgg.class,
          AlexNet.class,
          SqueezeNet.class,
          MobileNetV2.class,
          MobileNetV3.class,
          EfficientNet.class,
          MNASNet.class,
          DenseNet.class,
          RegNet.class,
          ShuffleNetV2.class,
          GoogLeNet.class,
          Inception3.class,
          ConvNeXt.class,
          VisionTransformer.class,
          SwinTransformer.class);

  @Test
  void tableListsEveryPublicBuilderOfEveryFamilyOnce() {
    Set<String> declared = new TreeSet<>();
    for (Class<? extends Module> family : FAMILIES) {
      for (Method method : family.getDeclaredMethods()) {
        if (Modifier.isPublic(method.getModifiers())
            && Modifier.isStatic(method.getModifiers())
            && method.getParameterCount() == 0
            && method.getReturnType() == family) {
          declared.add(method.getName());
          Zoo.Entry entry = Zoo.find(method.getName()).orElseThrow();
          assertThat(entry.family()).isEqualTo(family);
        }
      }
    }
    assertThat(new TreeSet<>(Zoo.names())).isEqualTo(declared);
    assertThat(Zoo.names()).hasSize(55);
  }

  @Test
  void entriesCarryTorchvisionsWeightsTransforms() {
    // torchvision 0.14: get_model_weights(name).IMAGENET1K_V1.transforms()
    assertThat(describe("resnet50")).isEqualTo("256/224/bilinear");
    assertThat(describe("inception_v3")).isEqualTo("342/299/bilinear");
    assertThat(describe("efficientnet_b3")).isEqualTo("320/300/bicubic");
    assertThat(describe("swin_t")).isEqualTo("232/224/bicubic");
    assertThat(describe("convnext_tiny")).isEqualTo("236/224/bilinear");
    assertThat(describe("mnasnet0_75")).isEqualTo("232/224/bilinear");
  }

  @Test
  void unknownNameIsEmptyAndBuilderBuildsTheFamily() {
    assertThat(Zoo.find("resnet5")).isEmpty();
    assertThat(Zoo.find("ResNet18")).isEmpty();
    Module model = Zoo.find("squeezenet1_1").orElseThrow().build();
    assertThat(model).isInstanceOf(SqueezeNet.class);
    List<String> names = new ArrayList<>(Zoo.names());
    assertThat(names.get(0)).isEqualTo("resnet18");
  }

  private static String describe(String name) {
    Zoo.Entry e = Zoo.find(name).orElseThrow();
    return e.resizeSize() + "/" + e.cropSize() + "/" + e.interpolation();
  }
}
