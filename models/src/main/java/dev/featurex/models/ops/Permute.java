package dev.featurex.models.ops;

import dev.featurex.annotations.LeafModule;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's {@code ops.Permute}: {@code torch.permute} as a module. A leaf, as in torchvision's
 * feature extraction.
 */
@LeafModule
public class Permute extends Module {

  private final long[] dims;

  /** Permutes to the order {@code dims}. */
  public Permute(long... dims) {
    this.dims = dims.clone();
  }

  /** {@code x} with its dimensions in the order given at construction. */
  public Tensor forward(Tensor x) {
    return torch.permute(x, dims);
  }
}
