package dev.featurex.samples.other;

import dev.featurex.annotations.ExtractFeatures;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.Tensor;

/**
 * A forward with a non-tensor parameter, traced twice with torchvision's {@code concrete_args}:
 * each value gives its own graph, and the extractors take only the tensor.
 */
@ExtractFeatures(name = "Plain", concreteArgs = "returnAux=false", value = "relu")
@ExtractFeatures(name = "Aux", concreteArgs = "returnAux=true", value = "aux:out")
public class AuxNet extends Module {

  private final ReLUImpl relu = register_module("relu", new ReLUImpl());
  private final LinearImpl aux = register_module("aux", new LinearImpl(4, 2));

  /** {@code relu(x)}, through the auxiliary head when {@code returnAux}. */
  public Tensor forward(Tensor x, boolean returnAux) {
    Tensor y = relu.forward(x);
    return returnAux ? aux.forward(y) : y;
  }
}
