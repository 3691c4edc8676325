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

/** torchvision's AlexNet (Krizhevsky et al., 2012, as in "One weird trick", 2014). */
@Traceable(factories = "alexnet")
public class AlexNet extends Module {

  /**
   * The modules inside the native containers: JavaCPP frees a module whose Java object is collected
   * even when a container holds it.
   */
  private final List<Module> owned = new ArrayList<>();

  private final SequentialImpl features;
  private final AdaptiveAvgPool2dImpl avgpool;
  private final SequentialImpl classifier;

  /**
   * An AlexNet with {@code numClasses} outputs and {@code dropout} in the classifier.
   *
   * @param dropout the dropout probability of the classifier
   */
  public AlexNet(long numClasses, double dropout) {
    SequentialImpl f = new SequentialImpl();
    f.push_back(own(Layers.conv(3, 64, 11, 4, 2)));
    f.push_back(own(new ReLUImpl()));
    f.push_back(own(Layers.maxPool(3, 2, 0, false)));
    f.push_back(own(Layers.conv(64, 192, 5, 1, 2)));
    f.push_back(own(new ReLUImpl()));
    f.push_back(own(Layers.maxPool(3, 2, 0, false)));
    f.push_back(own(Layers.conv(192, 384, 3, 1, 1)));
    f.push_back(own(new ReLUImpl()));
    f.push_back(own(Layers.conv(384, 256, 3, 1, 1)));
    f.push_back(own(new ReLUImpl()));
    f.push_back(own(Layers.conv(256, 256, 3, 1, 1)));
    f.push_back(own(new ReLUImpl()));
    f.push_back(own(Layers.maxPool(3, 2, 0, false)));
    features = register_module("features", f);
    avgpool = register_module("avgpool", Layers.adaptiveAvgPool(6, 6));
    SequentialImpl c = new SequentialImpl();
    c.push_back(own(new DropoutImpl(dropout)));
    c.push_back(own(new LinearImpl(256 * 6 * 6, 4096)));
    c.push_back(own(new ReLUImpl()));
    c.push_back(own(new DropoutImpl(dropout)));
    c.push_back(own(new LinearImpl(4096, 4096)));
    c.push_back(own(new ReLUImpl()));
    c.push_back(own(new LinearImpl(4096, numClasses)));
    classifier = register_module("classifier", c);
  }

  /** AlexNet: 1000 classes, dropout 0.5. */
  public static AlexNet alexnet() {
    return new AlexNet(1000, 0.5);
  }

  private <T extends Module> T own(T module) {
    owned.add(module);
    return module;
  }

  /** Logits for a batch of images {@code [N, 3, H, W]}. */
  public Tensor forward(Tensor x) {
    x = features.forward(x);
    x = avgpool.forward(x);
    x = torch.flatten(x, 1, -1);
    return classifier.forward(x);
  }
}
