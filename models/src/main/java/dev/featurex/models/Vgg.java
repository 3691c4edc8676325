package dev.featurex.models;

import dev.featurex.annotations.Traceable;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.AdaptiveAvgPool2dImpl;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's VGG (Simonyan and Zisserman, 2014), with and without batch norm: {@code features}
 * built from a configuration, {@code avgpool}, {@code classifier}.
 */
@Traceable(
    factories = {
      "vgg11",
      "vgg13",
      "vgg16",
      "vgg19",
      "vgg11_bn",
      "vgg13_bn",
      "vgg16_bn",
      "vgg19_bn"
    })
public class Vgg extends Module {

  /** In a configuration, a 2x2 max pool ({@code "M"} in torchvision) instead of a convolution. */
  static final int M = -1;

  private static final int[] CONFIG_A = {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
  private static final int[] CONFIG_B = {
    64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M
  };
  private static final int[] CONFIG_D = {
    64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M
  };
  private static final int[] CONFIG_E = {
    64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M, 512, 512, 512, 512, M
  };

  /**
   * The modules inside the native containers: JavaCPP frees a module whose Java object is collected
   * even when a container holds it.
   */
  private final List<Module> owned = new ArrayList<>();

  private final SequentialImpl features;
  private final AdaptiveAvgPool2dImpl avgpool;
  private final SequentialImpl classifier;

  /**
   * A VGG whose {@code features} follow {@code config}: output channels of 3x3 convolutions, or
   * {@link #M} for a max pool.
   *
   * @param batchNorm a batch norm after each convolution
   * @param numClasses the outputs of the last linear layer
   * @param dropout the dropout probability of the classifier
   */
  public Vgg(int[] config, boolean batchNorm, long numClasses, double dropout) {
    features = register_module("features", makeLayers(config, batchNorm));
    avgpool = register_module("avgpool", Layers.adaptiveAvgPool(7, 7));
    SequentialImpl head = new SequentialImpl();
    head.push_back(own(new LinearImpl(512 * 7 * 7, 4096)));
    head.push_back(own(new ReLUImpl()));
    head.push_back(own(new DropoutImpl(dropout)));
    head.push_back(own(new LinearImpl(4096, 4096)));
    head.push_back(own(new ReLUImpl()));
    head.push_back(own(new DropoutImpl(dropout)));
    head.push_back(own(new LinearImpl(4096, numClasses)));
    classifier = register_module("classifier", head);
  }

  /** VGG-11 (configuration "A"). */
  public static Vgg vgg11() {
    return new Vgg(CONFIG_A, false, 1000, 0.5);
  }

  /** VGG-13 (configuration "B"). */
  public static Vgg vgg13() {
    return new Vgg(CONFIG_B, false, 1000, 0.5);
  }

  /** VGG-16 (configuration "D"). */
  public static Vgg vgg16() {
    return new Vgg(CONFIG_D, false, 1000, 0.5);
  }

  /** VGG-19 (configuration "E"). */
  public static Vgg vgg19() {
    return new Vgg(CONFIG_E, false, 1000, 0.5);
  }

  /** VGG-11 with batch norm. */
  public static Vgg vgg11_bn() {
    return new Vgg(CONFIG_A, true, 1000, 0.5);
  }

  /** VGG-13 with batch norm. */
  public static Vgg vgg13_bn() {
    return new Vgg(CONFIG_B, true, 1000, 0.5);
  }

  /** VGG-16 with batch norm. */
  public static Vgg vgg16_bn() {
    return new Vgg(CONFIG_D, true, 1000, 0.5);
  }

  /** VGG-19 with batch norm. */
  public static Vgg vgg19_bn() {
    return new Vgg(CONFIG_E, true, 1000, 0.5);
  }

  private <T extends Module> T own(T module) {
    owned.add(module);
    return module;
  }

  private SequentialImpl makeLayers(int[] config, boolean batchNorm) {
    SequentialImpl layers = new SequentialImpl();
    long in = 3;
    for (int v : config) {
      if (v == M) {
        layers.push_back(own(Layers.maxPool(2, 2, 0, false)));
      } else {
        layers.push_back(own(Layers.conv(in, v, 3, 1, 1)));
        if (batchNorm) {
          layers.push_back(own(Layers.batchNorm(v)));
        }
        layers.push_back(own(new ReLUImpl()));
        in = v;
      }
    }
    return layers;
  }

  /** Logits for a batch of images {@code [N, 3, H, W]}. */
  public Tensor forward(Tensor x) {
    x = features.forward(x);
    x = avgpool.forward(x);
    x = torch.flatten(x, 1, -1);
    return classifier.forward(x);
  }
}
