package dev.featurex.samples.other;

import dev.featurex.annotations.ExtractFeatures;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/** A model that checks the shape of its input, as careful Java does: a guard clause. */
@ExtractFeatures("fc:out")
public class GuardedNet extends Module {

  private final long width = 4;
  private final LinearImpl fc = register_module("fc", new LinearImpl(width, 2));

  /** Logits for {@code [N, 4]}; any other width is refused with the sizes in the message. */
  public Tensor forward(Tensor x) {
    long features = x.size(1);
    if (features != width) {
      throw new IllegalArgumentException("expected " + width + " features, got " + features);
    }
    return fc.forward(x);
  }
}
