package dev.featurex.models.ops;

import dev.featurex.annotations.LeafModule;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * {@code torch.nn.Hardsigmoid}, which libtorch's C++ API has only as a function: a leaf, as every
 * {@code torch.nn} module is for torchvision's feature extraction.
 */
@LeafModule
public class Hardsigmoid extends Module {

  /** A Hardsigmoid module; it has no parameters. */
  public Hardsigmoid() {}

  /** {@code relu6(x + 3) / 6}. */
  public Tensor forward(Tensor x) {
    return torch.hardsigmoid(x);
  }
}
