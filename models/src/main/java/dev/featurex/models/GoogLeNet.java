package dev.featurex.models;

import dev.featurex.annotations.Traceable;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.AdaptiveAvgPool2dImpl;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's GoogLeNet (Inception v1, Szegedy et al., 2014), with its two auxiliary classifiers
 * ({@code aux1}, {@code aux2}), which run in training only: the train graph has their nodes, the
 * eval graph does not.
 */
@Traceable(factories = "googlenet")
public class GoogLeNet extends Module {

  private final boolean transformInput;
  private final BasicConv2d conv1;
  private final MaxPool2dImpl maxpool1;
  private final BasicConv2d conv2;
  private final BasicConv2d conv3;
  private final MaxPool2dImpl maxpool2;
  private final Inception inception3a;
  private final Inception inception3b;
  private final MaxPool2dImpl maxpool3;
  private final Inception inception4a;
  private final Inception inception4b;
  private final Inception inception4c;
  private final Inception inception4d;
  private final Inception inception4e;
  private final MaxPool2dImpl maxpool4;
  private final Inception inception5a;
  private final Inception inception5b;
  private final InceptionAux aux1;
  private final InceptionAux aux2;
  private final AdaptiveAvgPool2dImpl avgpool;
  private final DropoutImpl dropout;
  private final LinearImpl fc;

  /**
   * A GoogLeNet.
   *
   * @param auxLogits with the auxiliary classifiers
   * @param transformInput re-normalise ImageNet-normalised input as the original weights expect
   * @param dropout the dropout probability before {@code fc}
   * @param dropoutAux the dropout probability of the auxiliary classifiers
   */
  public GoogLeNet(
      long numClasses,
      boolean auxLogits,
      boolean transformInput,
      double dropout,
      double dropoutAux) {
    this.transformInput = transformInput;
    conv1 = register_module("conv1", new BasicConv2d(3, 64, 7, 2, 3));
    maxpool1 = register_module("maxpool1", Layers.maxPool(3, 2, 0, true));
    conv2 = register_module("conv2", new BasicConv2d(64, 64));
    conv3 = register_module("conv3", new BasicConv2d(64, 192, 3, 1, 1));
    maxpool2 = register_module("maxpool2", Layers.maxPool(3, 2, 0, true));
    inception3a = register_module("inception3a", new Inception(192, 64, 96, 128, 16, 32, 32));
    inception3b = register_module("inception3b", new Inception(256, 128, 128, 192, 32, 96, 64));
    maxpool3 = register_module("maxpool3", Layers.maxPool(3, 2, 0, true));
    inception4a = register_module("inception4a", new Inception(480, 192, 96, 208, 16, 48, 64));
    inception4b = register_module("inception4b", new Inception(512, 160, 112, 224, 24, 64, 64));
    inception4c = register_module("inception4c", new Inception(512, 128, 128, 256, 24, 64, 64));
    inception4d = register_module("inception4d", new Inception(512, 112, 144, 288, 32, 64, 64));
    inception4e = register_module("inception4e", new Inception(528, 256, 160, 320, 32, 128, 128));
    maxpool4 = register_module("maxpool4", Layers.maxPool(2, 2, 0, true));
    inception5a = register_module("inception5a", new Inception(832, 256, 160, 320, 32, 128, 128));
    inception5b = register_module("inception5b", new Inception(832, 384, 192, 384, 48, 128, 128));
    if (auxLogits) {
      aux1 = register_module("aux1", new InceptionAux(512, numClasses, dropoutAux));
      aux2 = register_module("aux2", new InceptionAux(528, numClasses, dropoutAux));
    } else {
      aux1 = null;
      aux2 = null;
    }
    avgpool = register_module("avgpool", Layers.adaptiveAvgPool(1, 1));
    this.dropout = register_module("dropout", new DropoutImpl(dropout));
    fc = register_module("fc", new LinearImpl(1024, numClasses));
  }

  /**
   * GoogLeNet as torchvision's {@code googlenet()} builds it without weights: with the auxiliary
   * classifiers, without input transformation. (With ImageNet weights torchvision drops the
   * auxiliary classifiers and transforms the input: {@code new GoogLeNet(1000, false, true, 0.2,
   * 0.7)}.)
   */
  public static GoogLeNet googlenet() {
    return new GoogLeNet(1000, true, false, 0.2, 0.7);
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
   * classifiers' logits.
   */
  public GoogLeNetOutputs forward(Tensor x) {
    x = transformInput(x);
    x = conv1.forward(x);
    x = maxpool1.forward(x);
    x = conv2.forward(x);
    x = conv3.forward(x);
    x = maxpool2.forward(x);
    x = inception3a.forward(x);
    x = inception3b.forward(x);
    x = maxpool3.forward(x);
    x = inception4a.forward(x);
    Tensor auxLogits1 = null;
    if (aux1 != null && is_training()) {
      auxLogits1 = aux1.forward(x);
    }
    x = inception4b.forward(x);
    x = inception4c.forward(x);
    x = inception4d.forward(x);
    Tensor auxLogits2 = null;
    if (aux2 != null && is_training()) {
      auxLogits2 = aux2.forward(x);
    }
    x = inception4e.forward(x);
    x = maxpool4.forward(x);
    x = inception5a.forward(x);
    x = inception5b.forward(x);
    x = avgpool.forward(x);
    x = torch.flatten(x, 1, -1);
    x = dropout.forward(x);
    x = fc.forward(x);
    return new GoogLeNetOutputs(x, auxLogits2, auxLogits1);
  }

  /**
   * GoogLeNet's block, torchvision's {@code googlenet.Inception}: four branches (1x1; 1x1 then 3x3;
   * 1x1 then 3x3; 3x3 max pool then 1x1) concatenated. torchvision's {@code branch2} to {@code
   * branch4} are {@code nn.Sequential}s; here {@code ModuleListImpl}s of the same modules.
   */
  public static class Inception extends Module {

    private final BasicConv2d branch1;
    private final List<BasicConv2d> branch2 = new ArrayList<>();
    private final List<BasicConv2d> branch3 = new ArrayList<>();
    private final MaxPool2dImpl branch4Pool;
    private final BasicConv2d branch4Conv;

    /** A block reading {@code inChannels} channels, with each branch's widths. */
    public Inception(
        long inChannels,
        long ch1x1,
        long ch3x3red,
        long ch3x3,
        long ch5x5red,
        long ch5x5,
        long poolProj) {
      branch1 = register_module("branch1", new BasicConv2d(inChannels, ch1x1));
      ModuleListImpl b2 = register_module("branch2", new ModuleListImpl());
      branch2.add(new BasicConv2d(inChannels, ch3x3red));
      branch2.add(new BasicConv2d(ch3x3red, ch3x3, 3, 1, 1));
      ModuleListImpl b3 = register_module("branch3", new ModuleListImpl());
      // torchvision's 5x5 branch has used a 3x3 convolution since its first weights.
      branch3.add(new BasicConv2d(inChannels, ch5x5red));
      branch3.add(new BasicConv2d(ch5x5red, ch5x5, 3, 1, 1));
      for (BasicConv2d conv : branch2) {
        b2.push_back(conv);
      }
      for (BasicConv2d conv : branch3) {
        b3.push_back(conv);
      }
      ModuleListImpl b4 = register_module("branch4", new ModuleListImpl());
      branch4Pool = Layers.maxPool(3, 1, 1, true);
      branch4Conv = new BasicConv2d(inChannels, poolProj);
      b4.push_back(branch4Pool);
      b4.push_back(branch4Conv);
    }

    private Tensor[] branches(Tensor x) {
      Tensor out1 = branch1.forward(x);
      Tensor out2 = x;
      for (BasicConv2d conv : branch2) {
        out2 = conv.forward(out2);
      }
      Tensor out3 = x;
      for (BasicConv2d conv : branch3) {
        out3 = conv.forward(out3);
      }
      Tensor out4 = branch4Conv.forward(branch4Pool.forward(x));
      return new Tensor[] {out1, out2, out3, out4};
    }

    /** The four branches, concatenated along the channels. */
    public Tensor forward(Tensor x) {
      Tensor[] outputs = branches(x);
      return torch.cat(new TensorVector(outputs), 1);
    }
  }

  /**
   * GoogLeNet's auxiliary classifier, torchvision's {@code googlenet.InceptionAux}: 4x4 adaptive
   * average pooling, a 1x1 convolution and two linear layers with ReLU and dropout.
   */
  public static class InceptionAux extends Module {

    private final BasicConv2d conv;
    private final LinearImpl fc1;
    private final LinearImpl fc2;
    private final DropoutImpl dropout;

    /** A classifier reading {@code inChannels} channels. */
    public InceptionAux(long inChannels, long numClasses, double dropout) {
      conv = register_module("conv", new BasicConv2d(inChannels, 128));
      fc1 = register_module("fc1", new LinearImpl(2048, 1024));
      fc2 = register_module("fc2", new LinearImpl(1024, numClasses));
      this.dropout = register_module("dropout", new DropoutImpl(dropout));
    }

    /** The auxiliary logits. */
    public Tensor forward(Tensor x) {
      x = torch.adaptive_avg_pool2d(x, 4, 4);
      x = conv.forward(x);
      x = torch.flatten(x, 1, -1);
      x = torch.relu(fc1.forward(x));
      x = dropout.forward(x);
      return fc2.forward(x);
    }
  }
}
