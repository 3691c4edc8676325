package dev.featurex.models.ops;

import dev.featurex.annotations.LeafModule;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * torchvision's {@code ops.MLP} without a norm layer (as the Vision and Swin Transformers use it):
 * for each hidden width but the last a linear layer, the activation and dropout, then a linear
 * layer to the last width and dropout; children named {@code "0"}, {@code "1"}, ... as in the
 * {@code nn.Sequential} it is in torchvision. A leaf, as in torchvision's feature extraction.
 */
@LeafModule
public class MLP extends Module {

  private final List<LinearImpl> linears = new ArrayList<>();
  private final List<Module> activations = new ArrayList<>();
  private final List<DropoutImpl> dropouts = new ArrayList<>();
  private final Activation activationLayer;

  /**
   * An MLP from {@code inChannels} through {@code hiddenChannels}.
   *
   * @param bias whether the linear layers have a bias
   * @param dropout the dropout probability after each layer
   * @throws IllegalArgumentException if {@code hiddenChannels} is empty
   */
  public MLP(
      long inChannels, long[] hiddenChannels, Activation activation, boolean bias, double dropout) {
    if (hiddenChannels.length == 0) {
      throw new IllegalArgumentException(
          "an MLP needs at least one layer (hiddenChannels is empty)");
    }
    this.activationLayer = activation;
    int index = 0;
    long inDim = inChannels;
    for (int i = 0; i < hiddenChannels.length; i++) {
      LinearOptions options = new LinearOptions(inDim, hiddenChannels[i]);
      options.bias().put(bias);
      linears.add(register_module(String.valueOf(index++), new LinearImpl(options)));
      if (i < hiddenChannels.length - 1) {
        activations.add(register_module(String.valueOf(index++), activation.create()));
      }
      dropouts.add(register_module(String.valueOf(index++), new DropoutImpl(dropout)));
      inDim = hiddenChannels[i];
    }
  }

  /** The layers in order. */
  public Tensor forward(Tensor x) {
    for (int i = 0; i < linears.size(); i++) {
      x = linears.get(i).forward(x);
      if (i < activations.size()) {
        x = activationLayer.apply(activations.get(i), x);
      }
      x = dropouts.get(i).forward(x);
    }
    return x;
  }
}
