package dev.featurex.models;

import dev.featurex.annotations.Traceable;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's SqueezeNet 1.0 (Iandola et al., 2016) and 1.1. torchvision's {@code features} is an
 * {@code nn.Sequential} of a convolution, a ReLU, then stages of a max pool and {@link Fire}
 * blocks; here a {@code ModuleListImpl} of the same modules (named {@code 0}, {@code 1}, ...
 * alike), walked stage by stage.
 */
@Traceable(factories = {"squeezenet1_0", "squeezenet1_1"})
public class SqueezeNet extends Module {

  /** SqueezeNet 1.0's stages: for each, the {@link Fire} blocks after its max pool. */
  private static final int[][][] STAGES_1_0 = {
    {{96, 16, 64, 64}, {128, 16, 64, 64}, {128, 32, 128, 128}},
    {{256, 32, 128, 128}, {256, 48, 192, 192}, {384, 48, 192, 192}, {384, 64, 256, 256}},
    {{512, 64, 256, 256}}
  };

  /** SqueezeNet 1.1's stages (pooling earlier, fewer operations, same accuracy). */
  private static final int[][][] STAGES_1_1 = {
    {{64, 16, 64, 64}, {128, 16, 64, 64}},
    {{128, 32, 128, 128}, {256, 32, 128, 128}},
    {{256, 48, 192, 192}, {384, 48, 192, 192}, {384, 64, 256, 256}, {512, 64, 256, 256}}
  };

  /**
   * The modules inside the native containers: JavaCPP frees a module whose Java object is collected
   * even when a container holds it.
   */
  private final List<Module> owned = new ArrayList<>();

  private final Conv2dImpl conv;
  private final ReLUImpl relu;
  private final List<MaxPool2dImpl> pools = new ArrayList<>();
  private final List<List<Fire>> stages = new ArrayList<>();
  private final SequentialImpl classifier;

  /**
   * A SqueezeNet whose first convolution has {@code stemChannels} outputs of a {@code stemKernel}
   * kernel, followed by {@code stages} (each a max pool and the {@link Fire} blocks given by their
   * {@code inplanes, squeeze, expand1x1, expand3x3}).
   */
  SqueezeNet(
      long stemChannels, long stemKernel, int[][][] stages, long numClasses, double dropout) {
    ModuleListImpl features = register_module("features", new ModuleListImpl());
    conv = own(Layers.conv(3, stemChannels, stemKernel, 2, 0));
    relu = own(new ReLUImpl());
    features.push_back(conv);
    features.push_back(relu);
    for (int[][] stage : stages) {
      MaxPool2dImpl pool = own(Layers.maxPool(3, 2, 0, true));
      features.push_back(pool);
      pools.add(pool);
      List<Fire> fires = new ArrayList<>();
      for (int[] f : stage) {
        Fire fire = new Fire(f[0], f[1], f[2], f[3]);
        features.push_back(fire);
        fires.add(fire);
      }
      this.stages.add(fires);
    }
    SequentialImpl c = new SequentialImpl();
    c.push_back(own(new DropoutImpl(dropout)));
    c.push_back(own(Layers.conv(512, numClasses, 1, 1, 0)));
    c.push_back(own(new ReLUImpl()));
    c.push_back(own(Layers.adaptiveAvgPool(1, 1)));
    classifier = register_module("classifier", c);
  }

  /** SqueezeNet 1.0. */
  public static SqueezeNet squeezenet1_0() {
    return new SqueezeNet(96, 7, STAGES_1_0, 1000, 0.5);
  }

  /** SqueezeNet 1.1: 2.4x less computation than 1.0, as accurate. */
  public static SqueezeNet squeezenet1_1() {
    return new SqueezeNet(64, 3, STAGES_1_1, 1000, 0.5);
  }

  private <T extends Module> T own(T module) {
    owned.add(module);
    return module;
  }

  /** Logits for a batch of images {@code [N, 3, H, W]}. */
  public Tensor forward(Tensor x) {
    x = conv.forward(x);
    x = relu.forward(x);
    for (int i = 0; i < stages.size(); i++) {
      x = pools.get(i).forward(x);
      for (Fire fire : stages.get(i)) {
        x = fire.forward(x);
      }
    }
    x = classifier.forward(x);
    return torch.flatten(x, 1, -1);
  }
}
