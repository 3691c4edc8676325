package dev.featurex.samples;

import dev.featurex.annotations.Traceable;
import java.util.ArrayList;
import java.util.List;
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

  private static final int[] CONFIG_A = {
    64, POOL, 128, POOL, 256, 256, POOL, 512, 512, POOL, 512, 512, POOL
  };

  /**
   * The modules inside the native containers. JavaCPP frees a module whose Java object is collected
   * even when a container holds it, so the model keeps them reachable.
   */
  private final List<Module> owned = new ArrayList<>();

  private final SequentialImpl features;
  private final AdaptiveAvgPool2dImpl avgpool;
  private final SequentialImpl classifier;

  /** A VGG whose feature extractor follows {@code config} (channels, or {@link #POOL}). */
  public Vgg(int[] config, long numClasses, double dropout) {
    features = register_module("features", makeFeatures(config, owned));
    avgpool =
        register_module(
            "avgpool",
            new AdaptiveAvgPool2dImpl(
                new LongOptionalVector(new LongOptional(7), new LongOptional(7)).get(0)));
    LinearImpl fc1 = new LinearImpl(512 * 7 * 7, 4096);
    ReLUImpl relu1 = new ReLUImpl();
    DropoutImpl drop1 = new DropoutImpl(dropout);
    LinearImpl fc2 = new LinearImpl(4096, 4096);
    ReLUImpl relu2 = new ReLUImpl();
    DropoutImpl drop2 = new DropoutImpl(dropout);
    LinearImpl fc3 = new LinearImpl(4096, numClasses);
    SequentialImpl head = new SequentialImpl();
    head.push_back(fc1);
    head.push_back(relu1);
    head.push_back(drop1);
    head.push_back(fc2);
    head.push_back(relu2);
    head.push_back(drop2);
    head.push_back(fc3);
    owned.addAll(List.of(fc1, relu1, drop1, fc2, relu2, drop2, fc3));
    classifier = register_module("classifier", head);
  }

  /** VGG-11 (configuration "A"), 1000 classes. */
  public static Vgg vgg11() {
    return new Vgg(CONFIG_A, 1000, 0.5);
  }

  private static SequentialImpl makeFeatures(int[] config, List<Module> owned) {
    SequentialImpl layers = new SequentialImpl();
    long in = 3;
    for (int v : config) {
      if (v == POOL) {
        MaxPool2dOptions pool = new MaxPool2dOptions(new LongPointer(2L, 2L));
        pool.stride().put(new long[] {2, 2});
        MaxPool2dImpl maxPool = new MaxPool2dImpl(pool);
        owned.add(maxPool);
        layers.push_back(maxPool);
      } else {
        Conv2dOptions conv = new Conv2dOptions(in, v, new LongPointer(3L, 3L));
        conv.padding().put(new LongPointer(1L, 1L));
        Conv2dImpl convolution = new Conv2dImpl(conv);
        ReLUImpl relu = new ReLUImpl();
        owned.add(convolution);
        owned.add(relu);
        layers.push_back(convolution);
        layers.push_back(relu);
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
