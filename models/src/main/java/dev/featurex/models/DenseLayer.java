package dev.featurex.models;

import java.util.List;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * A layer of a {@link DenseBlock}, torchvision's {@code _DenseLayer}: the concatenation of every
 * earlier feature map, then batch norm, ReLU, 1x1 convolution (the bottleneck), batch norm, ReLU
 * and a 3x3 convolution to {@code growthRate} new channels. torchvision's {@code memory_efficient}
 * checkpointing is not ported: it trades compute for memory in training only.
 */
public class DenseLayer extends Module {

  private final BatchNorm2dImpl norm1;
  private final ReLUImpl relu1;
  private final Conv2dImpl conv1;
  private final BatchNorm2dImpl norm2;
  private final ReLUImpl relu2;
  private final Conv2dImpl conv2;
  private final double dropRate;

  /**
   * A layer reading {@code numInputFeatures} channels, with a bottleneck of {@code bnSize *
   * growthRate} channels and dropout {@code dropRate} on its output in training.
   */
  public DenseLayer(long numInputFeatures, long growthRate, long bnSize, double dropRate) {
    norm1 = register_module("norm1", Layers.batchNorm(numInputFeatures));
    relu1 = register_module("relu1", new ReLUImpl());
    conv1 =
        register_module(
            "conv1", Layers.conv(numInputFeatures, bnSize * growthRate, 1, 1, 0, 1, false));
    norm2 = register_module("norm2", Layers.batchNorm(bnSize * growthRate));
    relu2 = register_module("relu2", new ReLUImpl());
    conv2 =
        register_module("conv2", Layers.conv(bnSize * growthRate, growthRate, 3, 1, 1, 1, false));
    this.dropRate = dropRate;
  }

  private Tensor bnFunction(List<Tensor> inputs) {
    Tensor concatedFeatures = torch.cat(new TensorVector(inputs.toArray(new Tensor[0])), 1);
    return conv1.forward(relu1.forward(norm1.forward(concatedFeatures)));
  }

  /** The new feature map computed from all the earlier ones. */
  public Tensor forward(List<Tensor> prevFeatures) {
    Tensor bottleneckOutput = bnFunction(prevFeatures);
    Tensor newFeatures = conv2.forward(relu2.forward(norm2.forward(bottleneckOutput)));
    if (dropRate > 0) {
      newFeatures = torch.dropout(newFeatures, dropRate, is_training());
    }
    return newFeatures;
  }
}
