package dev.featurex.samples.other;

import dev.featurex.annotations.Traceable;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.Tensor;

/** A class whose name has a dollar: its generated graphs are found all the same. */
@Traceable
public class Net$V2 extends Module {

  private final ReLUImpl relu = register_module("relu", new ReLUImpl());

  /** {@code relu(x)}. */
  public Tensor forward(Tensor x) {
    return relu.forward(x);
  }
}
