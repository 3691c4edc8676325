package dev.featurex.samples;

import dev.featurex.annotations.Traceable;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.AdaptiveAvgPool2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.LongOptionalVector;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.MaxPool2dOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's VGG for JavaCPP: {@code features} built from a configuration, {@code avgpool},
 * {@code classifier}; module names as torchvision's.
 */
@Traceable(factories = {"vgg11"})
public class Vgg extends Module {

  /** In a configuration, a 2x2 max pool instead of a convolution. */
  static final int POOL = -1;

  private static final int[] CONFIG_A = {64, POOL, 128, POOL, 256, 256, POOL, 512, 512, POOL, 512, 512, POOL};

  private final SequentialImpl features;
  private final AdaptiveAvgPool2dImpl avgpool;
  private final SequentialImpl classifier;

  /** A VGG whose feature extractor follows {@code config} (channels, or {@link #POOL}). */
  public Vgg(int[] config, long numClasses, double dropout) {
    features = register_module("features", makeFeatures(config));
    avgpool =
        register_module(
            "avgpool",
            new AdaptiveAvgPool2dImpl(
                new LongOptionalVector(new LongOptional(7), new LongOptional(7)).get(0)));
    SequentialImpl head = new SequentialImpl();
    head.push_back(new LinearImpl(512 * 7 * 7, 4096));
    head.push_back(new ReLUImpl());
    head.push_back(new DropoutImpl(dropout));
    head.push_back(new LinearImpl(4096, 4096));
    head.push_back(new ReLUImpl());
    head.push_back(new DropoutImpl(dropout));
    head.push_back(new LinearImpl(4096, numClasses));
    classifier = register_module("classifier", head);
  }

  /** VGG-11 (configuration "A"), 1000 classes. */
  public static Vgg vgg11() {
    return new Vgg(CONFIG_A, 1000, 0.5);
  }

  private static SequentialImpl makeFeatures(int[] config) {
    SequentialImpl layers = new SequentialImpl();
    long in = 3;
    for (int v : config) {
      if (v == POOL) {
        MaxPool2dOptions pool = new MaxPool2dOptions(new LongPointer(2L, 2L));
        pool.stride().put(new long[] {2, 2});
        layers.push_back(new MaxPool2dImpl(pool));
      } else {
        Conv2dOptions conv = new Conv2dOptions(in, v, new LongPointer(3L, 3L));
        conv.padding().put(new LongPointer(1L, 1L));
        layers.push_back(new Conv2dImpl(conv));
        layers.push_back(new ReLUImpl());
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
