package dev.featurex.samples.library;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.Tensor;

/**
 * A block compiled apart from the models that use it (the samples' main code, which their tests see
 * only as class files), as a block from a library jar is: the processor cannot read its source, so
 * it is a leaf whose children it does not know.
 */
public class LibraryBlock extends Module {

  private final LinearImpl fc = register_module("fc", new LinearImpl(4, 4));
  private final ReLUImpl relu = register_module("relu", new ReLUImpl());

  /** {@code relu(fc(x))}. */
  public Tensor forward(Tensor x) {
    return relu.forward(fc.forward(x));
  }
}
