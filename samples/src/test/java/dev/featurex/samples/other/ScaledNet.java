package dev.featurex.samples.other;

import dev.featurex.annotations.ExtractFeatures;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A module that keeps handles to its own parameter and buffer, made from known calls, and uses them
 * in {@code forward}: they must be read from the live model, never re-created as constants.
 */
@ExtractFeatures({"weight", "sub:centered", "fc:logits"})
public class ScaledNet extends Module {

  private final Tensor weight;
  private final Tensor shift;
  private final LinearImpl fc = register_module("fc", new LinearImpl(4, 3));

  /** A net over 4 features. */
  public ScaledNet() {
    Tensor ones = torch.ones(4);
    register_parameter("weight", ones);
    weight = ones;
    shift = register_buffer("shift", torch.zeros(4));
  }

  /** Logits for {@code [N, 4]}. */
  public Tensor forward(Tensor x) {
    Tensor y = x.mul(weight).sub(shift);
    return fc.forward(y);
  }
}
