package dev.featurex.models;

import dev.featurex.annotations.Traceable;
import dev.featurex.models.InceptionBlocks.InceptionA;
import dev.featurex.models.InceptionBlocks.InceptionAux;
import dev.featurex.models.InceptionBlocks.InceptionB;
import dev.featurex.models.InceptionBlocks.InceptionC;
import dev.featurex.models.InceptionBlocks.InceptionD;
import dev.featurex.models.InceptionBlocks.InceptionE;
import org.bytedeco.pytorch.AdaptiveAvgPool2dImpl;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's Inception-v3 (Szegedy et al., 2015), with its auxiliary classifier ({@code
 * AuxLogits}), which runs in training only: the train graph has its nodes, the eval graph does not.
 * Images of at least 75x75 pixels (299x299 for the auxiliary classifier).
 */
@Traceable(factories = "inception_v3")
public class Inception3 extends Module {

  private final boolean transformInput;
  private final BasicConv2d conv2d1a3x3;
  private final BasicConv2d conv2d2a3x3;
  private final BasicConv2d conv2d2b3x3;
  private final MaxPool2dImpl maxpool1;
  private final BasicConv2d conv2d3b1x1;
  private final BasicConv2d conv2d4a3x3;
  private final MaxPool2dImpl maxpool2;
  private final InceptionA mixed5b;
  private final InceptionA mixed5c;
  private final InceptionA mixed5d;
  private final InceptionB mixed6a;
  private final InceptionC mixed6b;
  private final InceptionC mixed6c;
  private final InceptionC mixed6d;
  private final InceptionC mixed6e;
  private final InceptionAux auxLogits;
  private final InceptionD mixed7a;
  private final InceptionE mixed7b;
  private final InceptionE mixed7c;
  private final AdaptiveAvgPool2dImpl avgpool;
  private final DropoutImpl dropout;
  private final LinearImpl fc;

  /**
   * An Inception-v3.
   *
   * @param auxLogits with the auxiliary classifier
   * @param transformInput re-normalise ImageNet-normalised input as the original weights expect
   * @param dropout the dropout probability before {@code fc}
   */
  public Inception3(long numClasses, boolean auxLogits, boolean transformInput, double dropout) {
    this.transformInput = transformInput;
    conv2d1a3x3 = register_module("Conv2d_1a_3x3", new BasicConv2d(3, 32, 3, 2, 0));
    conv2d2a3x3 = register_module("Conv2d_2a_3x3", new BasicConv2d(32, 32, 3, 1, 0));
    conv2d2b3x3 = register_module("Conv2d_2b_3x3", new BasicConv2d(32, 64, 3, 1, 1));
    maxpool1 = register_module("maxpool1", Layers.maxPool(3, 2, 0, false));
    conv2d3b1x1 = register_module("Conv2d_3b_1x1", new BasicConv2d(64, 80));
    conv2d4a3x3 = register_module("Conv2d_4a_3x3", new BasicConv2d(80, 192, 3, 1, 0));
    maxpool2 = register_module("maxpool2", Layers.maxPool(3, 2, 0, false));
    mixed5b = register_module("Mixed_5b", new InceptionA(192, 32));
    mixed5c = register_module("Mixed_5c", new InceptionA(256, 64));
    mixed5d = register_module("Mixed_5d", new InceptionA(288, 64));
    mixed6a = register_module("Mixed_6a", new InceptionB(288));
    mixed6b = register_module("Mixed_6b", new InceptionC(768, 128));
    mixed6c = register_module("Mixed_6c", new InceptionC(768, 160));
    mixed6d = register_module("Mixed_6d", new InceptionC(768, 160));
    mixed6e = register_module("Mixed_6e", new InceptionC(768, 192));
    this.auxLogits =
        auxLogits ? register_module("AuxLogits", new InceptionAux(768, numClasses)) : null;
    mixed7a = register_module("Mixed_7a", new InceptionD(768));
    mixed7b = register_module("Mixed_7b", new InceptionE(1280));
    mixed7c = register_module("Mixed_7c", new InceptionE(2048));
    avgpool = register_module("avgpool", Layers.adaptiveAvgPool(1, 1));
    this.dropout = register_module("dropout", new DropoutImpl(dropout));
    fc = register_module("fc", new LinearImpl(2048, numClasses));
  }

  /**
   * Inception-v3 as torchvision's {@code inception_v3()} builds it without weights: with the
   * auxiliary classifier, without input transformation. (With ImageNet weights torchvision
   * transforms the input: {@code new Inception3(1000, true, true, 0.5)}.)
   */
  public static Inception3 inception_v3() {
    return new Inception3(1000, true, false, 0.5);
  }

  private Tensor transformInput(Tensor x) {
    if (transformInput) {
      Tensor xCh0 =
          torch
              .unsqueeze(x.select(1, 0), 1)
              .mul(new Scalar(0.229 / 0.5))
              .add(new Scalar((0.485 - 0.5) / 0.5));
      Tensor xCh1 =
          torch
              .unsqueeze(x.select(1, 1), 1)
              .mul(new Scalar(0.224 / 0.5))
              .add(new Scalar((0.456 - 0.5) / 0.5));
      Tensor xCh2 =
          torch
              .unsqueeze(x.select(1, 2), 1)
              .mul(new Scalar(0.225 / 0.5))
              .add(new Scalar((0.406 - 0.5) / 0.5));
      x = torch.cat(new TensorVector(xCh0, xCh1, xCh2), 1);
    }
    return x;
  }

  /**
   * The logits for a batch of images {@code [N, 3, H, W]} and, in training, the auxiliary
   * classifier's logits.
   */
  public InceptionOutputs forward(Tensor x) {
    x = transformInput(x);
    x = conv2d1a3x3.forward(x);
    x = conv2d2a3x3.forward(x);
    x = conv2d2b3x3.forward(x);
    x = maxpool1.forward(x);
    x = conv2d3b1x1.forward(x);
    x = conv2d4a3x3.forward(x);
    x = maxpool2.forward(x);
    x = mixed5b.forward(x);
    x = mixed5c.forward(x);
    x = mixed5d.forward(x);
    x = mixed6a.forward(x);
    x = mixed6b.forward(x);
    x = mixed6c.forward(x);
    x = mixed6d.forward(x);
    x = mixed6e.forward(x);
    Tensor aux = null;
    if (auxLogits != null && is_training()) {
      aux = auxLogits.forward(x);
    }
    x = mixed7a.forward(x);
    x = mixed7b.forward(x);
    x = mixed7c.forward(x);
    x = avgpool.forward(x);
    x = dropout.forward(x);
    x = torch.flatten(x, 1, -1);
    x = fc.forward(x);
    return new InceptionOutputs(x, aux);
  }
}
