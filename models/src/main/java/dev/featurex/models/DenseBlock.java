package dev.featurex.models;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's {@code _DenseBlock}: {@link DenseLayer}s named {@code denselayer1}, {@code
 * denselayer2}, ..., each reading the block's input and every earlier layer's output; the block
 * returns them all, concatenated.
 */
public class DenseBlock extends Module {

  private final List<DenseLayer> layers = new ArrayList<>();

  /** A block of {@code numLayers} layers reading {@code numInputFeatures} channels. */
  public DenseBlock(
      int numLayers, long numInputFeatures, long bnSize, long growthRate, double dropRate) {
    for (int i = 0; i < numLayers; i++) {
      DenseLayer layer =
          new DenseLayer(numInputFeatures + i * growthRate, growthRate, bnSize, dropRate);
      layers.add(register_module("denselayer" + (i + 1), layer));
    }
  }

  /** The input and every layer's output, concatenated along the channels. */
  public Tensor forward(Tensor initFeatures) {
    List<Tensor> features = new ArrayList<>();
    features.add(initFeatures);
    for (DenseLayer layer : layers) {
      Tensor newFeatures = layer.forward(features);
      features.add(newFeatures);
    }
    return torch.cat(new TensorVector(features.toArray(new Tensor[0])), 1);
  }
}
