package dev.featurex.samples.other;

import dev.featurex.annotations.ExtractFeatures;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/** Two inputs, and a Java leaf module reached by generated code through its field. */
@ExtractFeatures({"add:mixed", "gate"})
public class TwoInputs extends Module {

  private final LinearImpl left = register_module("left", new LinearImpl(4, 4));
  private final LinearImpl right = register_module("right", new LinearImpl(4, 4));
  private final Gate gate = register_module("gate", new Gate());

  public Tensor forward(Tensor a, Tensor b) {
    Tensor mixed = left.forward(a).add(right.forward(b));
    return gate.forward(mixed);
  }
}
