package dev.featurex.models.ops;

import dev.featurex.annotations.LeafModule;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.AdaptiveAvgPool2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.LongOptionalVector;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * torchvision's {@code ops.SqueezeExcitation} (Hu et al., 2018): global average pooling, two 1x1
 * convolutions ({@code fc1}, {@code fc2}) with {@code activation} between them, and {@code
 * scale_activation} giving the per-channel scale the input is multiplied by. A leaf, as in
 * torchvision's feature extraction.
 */
@LeafModule
public class SqueezeExcitation extends Module {

  private final AdaptiveAvgPool2dImpl avgpool;
  private final Conv2dImpl fc1;
  private final Conv2dImpl fc2;
  private final Activation activationLayer;
  private final Module activation;
  private final Activation scaleActivationLayer;
  private final Module scaleActivation;

  /**
   * A block over {@code inputChannels} channels squeezed to {@code squeezeChannels}.
   *
   * @param activation torchvision's {@code activation} (ReLU by default)
   * @param scaleActivation torchvision's {@code scale_activation} (Sigmoid by default)
   */
  public SqueezeExcitation(
      long inputChannels, long squeezeChannels, Activation activation, Activation scaleActivation) {
    // Two consecutive optionals: the constructor reads an ExpandingArray<2> through the pointer.
    avgpool =
        register_module(
            "avgpool",
            new AdaptiveAvgPool2dImpl(
                new LongOptionalVector(new LongOptional(1), new LongOptional(1)).get(0)));
    fc1 = register_module("fc1", pointwise(inputChannels, squeezeChannels));
    fc2 = register_module("fc2", pointwise(squeezeChannels, inputChannels));
    this.activationLayer = activation;
    this.activation = register_module("activation", activation.create());
    this.scaleActivationLayer = scaleActivation;
    this.scaleActivation = register_module("scale_activation", scaleActivation.create());
  }

  /** torchvision's defaults: ReLU and Sigmoid. */
  public SqueezeExcitation(long inputChannels, long squeezeChannels) {
    this(inputChannels, squeezeChannels, Activation.RELU, Activation.SIGMOID);
  }

  private static Conv2dImpl pointwise(long in, long out) {
    return new Conv2dImpl(new Conv2dOptions(in, out, new LongPointer(1L, 1L)));
  }

  /** {@code input} scaled per channel. */
  public Tensor forward(Tensor input) {
    Tensor scale = avgpool.forward(input);
    scale = fc1.forward(scale);
    scale = activationLayer.apply(activation, scale);
    scale = fc2.forward(scale);
    scale = scaleActivationLayer.apply(scaleActivation, scale);
    return scale.mul(input);
  }
}
