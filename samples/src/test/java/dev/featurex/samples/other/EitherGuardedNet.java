package dev.featurex.samples.other;

import dev.featurex.annotations.ExtractFeatures;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * A guard clause with several conditions, {@code a || b || c}: a condition known when tracing
 * ({@code width <= 0}) is decided then, each traced one is a guard of its own, in order.
 */
@ExtractFeatures("fc:out")
public class EitherGuardedNet extends Module {

  private final long width = 4;
  private final LinearImpl fc = register_module("fc", new LinearImpl(width, 2));

  /** Logits for {@code [N, 4]}; any other shape is refused with the rank and width it has. */
  public Tensor forward(Tensor x) {
    if (width <= 0 || (x.dim() != 2) || x.size(-1) != width) {
      throw new IllegalArgumentException(
          "expected [N, " + width + "], got rank " + x.dim() + " and width " + x.size(-1));
    }
    return fc.forward(x);
  }
}
