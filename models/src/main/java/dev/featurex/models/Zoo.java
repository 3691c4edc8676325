package dev.featurex.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Module;

/**
 * The zoo as one table: each builder of this package under torchvision's name ({@code "resnet50"}
 * is {@link ResNet#resnet50()}), with the preprocessing of torchvision's first ImageNet weights for
 * it ({@code <Model>_Weights.IMAGENET1K_V1.transforms()} in torchvision 0.14). The command-line
 * tool and the Spark job resolve model names here.
 *
 * <pre>{@code
 * Zoo.Entry entry = Zoo.find("resnet50").orElseThrow();
 * Module model = entry.build();            // ResNet.resnet50()
 * int crop = entry.cropSize();             // 224, after a resize of the shorter side to 256
 * }</pre>
 */
public final class Zoo {

  /**
   * One model of the zoo.
   *
   * @param name torchvision's name of the builder ({@code torchvision.models.get_model(name)})
   * @param family the Java class the builder returns
   * @param builder the builder
   * @param resizeSize the shorter side's size after resizing, in torchvision's weights transforms
   * @param cropSize the side of the centre crop, in torchvision's weights transforms
   * @param interpolation the resampling filter of those transforms, as torchvision names it ({@code
   *     "bilinear"} or {@code "bicubic"})
   */
  public record Entry(
      String name,
      Class<? extends Module> family,
      Supplier<? extends Module> builder,
      int resizeSize,
      int cropSize,
      String interpolation) {

    /** Checks that nothing is null. */
    public Entry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(family, "family");
      Objects.requireNonNull(builder, "builder");
      Objects.requireNonNull(interpolation, "interpolation");
    }

    /** A new model from the builder, with libtorch's default initialisation, in train mode. */
    public Module build() {
      return builder.get();
    }
  }

  private static final Map<String, Entry> ENTRIES = table();

  private Zoo() {}

  /** Every model, in the order of {@code models/README.md}'s table (family by family). */
  public static List<Entry> entries() {
    return List.copyOf(ENTRIES.values());
  }

  /** Every model's name, in {@link #entries()} order. */
  public static List<String> names() {
    return List.copyOf(ENTRIES.keySet());
  }

  /** The model named {@code name} (torchvision's name, case-sensitive), if the zoo has it. */
  public static Optional<Entry> find(String name) {
    return Optional.ofNullable(ENTRIES.get(name));
  }

  private static Map<String, Entry> table() {
    List<Entry> e = new ArrayList<>();
    e.add(v1("resnet18", ResNet.class, ResNet::resnet18));
    e.add(v1("resnet34", ResNet.class, ResNet::resnet34));
    e.add(v1("resnet50", ResNet.class, ResNet::resnet50));
    e.add(v1("resnet101", ResNet.class, ResNet::resnet101));
    e.add(v1("resnet152", ResNet.class, ResNet::resnet152));
    e.add(v1("resnext50_32x4d", ResNet.class, ResNet::resnext50_32x4d));
    e.add(v1("wide_resnet50_2", ResNet.class, ResNet::wide_resnet50_2));
    e.add(v1("vgg11", Vgg.class, Vgg::vgg11));
    e.add(v1("vgg13", Vgg.class, Vgg::vgg13));
    e.add(v1("vgg16", Vgg.class, Vgg::vgg16));
    e.add(v1("vgg19", Vgg.class, Vgg::vgg19));
    e.add(v1("vgg11_bn", Vgg.class, Vgg::vgg11_bn));
    e.add(v1("vgg13_bn", Vgg.class, Vgg::vgg13_bn));
    e.add(v1("vgg16_bn", Vgg.class, Vgg::vgg16_bn));
    e.add(v1("vgg19_bn", Vgg.class, Vgg::vgg19_bn));
    e.add(v1("alexnet", AlexNet.class, AlexNet::alexnet));
    e.add(v1("squeezenet1_0", SqueezeNet.class, SqueezeNet::squeezenet1_0));
    e.add(v1("squeezenet1_1", SqueezeNet.class, SqueezeNet::squeezenet1_1));
    e.add(v1("mobilenet_v2", MobileNetV2.class, MobileNetV2::mobilenet_v2));
    e.add(v1("mobilenet_v3_large", MobileNetV3.class, MobileNetV3::mobilenet_v3_large));
    e.add(v1("mobilenet_v3_small", MobileNetV3.class, MobileNetV3::mobilenet_v3_small));
    addEfficientNets(e);
    e.add(v1("mnasnet0_5", MNASNet.class, MNASNet::mnasnet0_5));
    e.add(new Entry("mnasnet0_75", MNASNet.class, MNASNet::mnasnet0_75, 232, 224, "bilinear"));
    e.add(v1("mnasnet1_0", MNASNet.class, MNASNet::mnasnet1_0));
    e.add(new Entry("mnasnet1_3", MNASNet.class, MNASNet::mnasnet1_3, 232, 224, "bilinear"));
    e.add(v1("densenet121", DenseNet.class, DenseNet::densenet121));
    e.add(v1("densenet161", DenseNet.class, DenseNet::densenet161));
    e.add(v1("densenet169", DenseNet.class, DenseNet::densenet169));
    e.add(v1("densenet201", DenseNet.class, DenseNet::densenet201));
    e.add(v1("regnet_x_400mf", RegNet.class, RegNet::regnet_x_400mf));
    e.add(v1("regnet_x_800mf", RegNet.class, RegNet::regnet_x_800mf));
    e.add(v1("regnet_x_1_6gf", RegNet.class, RegNet::regnet_x_1_6gf));
    e.add(v1("regnet_x_3_2gf", RegNet.class, RegNet::regnet_x_3_2gf));
    e.add(v1("regnet_y_400mf", RegNet.class, RegNet::regnet_y_400mf));
    e.add(v1("regnet_y_800mf", RegNet.class, RegNet::regnet_y_800mf));
    e.add(v1("regnet_y_1_6gf", RegNet.class, RegNet::regnet_y_1_6gf));
    e.add(v1("regnet_y_3_2gf", RegNet.class, RegNet::regnet_y_3_2gf));
    e.add(v1("shufflenet_v2_x0_5", ShuffleNetV2.class, ShuffleNetV2::shufflenet_v2_x0_5));
    e.add(v1("shufflenet_v2_x1_0", ShuffleNetV2.class, ShuffleNetV2::shufflenet_v2_x1_0));
    e.add(
        new Entry(
            "shufflenet_v2_x1_5",
            ShuffleNetV2.class,
            ShuffleNetV2::shufflenet_v2_x1_5,
            232,
            224,
            "bilinear"));
    e.add(
        new Entry(
            "shufflenet_v2_x2_0",
            ShuffleNetV2.class,
            ShuffleNetV2::shufflenet_v2_x2_0,
            232,
            224,
            "bilinear"));
    e.add(v1("googlenet", GoogLeNet.class, GoogLeNet::googlenet));
    e.add(
        new Entry(
            "inception_v3", Inception3.class, Inception3::inception_v3, 342, 299, "bilinear"));
    e.add(
        new Entry("convnext_tiny", ConvNeXt.class, ConvNeXt::convnext_tiny, 236, 224, "bilinear"));
    e.add(
        new Entry(
            "convnext_small", ConvNeXt.class, ConvNeXt::convnext_small, 230, 224, "bilinear"));
    e.add(v1("vit_b_16", VisionTransformer.class, VisionTransformer::vit_b_16));
    e.add(new Entry("swin_t", SwinTransformer.class, SwinTransformer::swin_t, 232, 224, "bicubic"));
    Map<String, Entry> map = new LinkedHashMap<>();
    for (Entry entry : e) {
      if (map.put(entry.name(), entry) != null) {
        throw new AssertionError("two entries named " + entry.name());
      }
    }
    return Collections.unmodifiableMap(map);
  }

  /** EfficientNet's V1 weights: bicubic, with a resize and crop per size. */
  private static void addEfficientNets(List<Entry> e) {
    List<Supplier<EfficientNet>> builders =
        List.of(
            EfficientNet::efficientnet_b0,
            EfficientNet::efficientnet_b1,
            EfficientNet::efficientnet_b2,
            EfficientNet::efficientnet_b3,
            EfficientNet::efficientnet_b4,
            EfficientNet::efficientnet_b5,
            EfficientNet::efficientnet_b6,
            EfficientNet::efficientnet_b7);
    int[] resize = {256, 256, 288, 320, 384, 456, 528, 600};
    int[] crop = {224, 240, 288, 300, 380, 456, 528, 600};
    for (int b = 0; b < builders.size(); b++) {
      e.add(
          new Entry(
              "efficientnet_b" + b,
              EfficientNet.class,
              builders.get(b),
              resize[b],
              crop[b],
              "bicubic"));
    }
  }

  /** torchvision's default for most ImageNet weights: resize 256, crop 224, bilinear. */
  private static Entry v1(String name, Class<? extends Module> family, Supplier<Module> builder) {
    return new Entry(name, family, builder, 256, 224, "bilinear");
  }
}
