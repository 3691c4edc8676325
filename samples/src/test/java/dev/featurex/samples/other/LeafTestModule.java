package dev.featurex.samples.other;

import dev.featurex.annotations.ExtractFeatures;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's test for leaf modules and functions ({@code test_leaf_module_and_function}),
 * ported: a function and a module the tracer could not follow (a cast of a traced size), made a
 * leaf function and a leaf module.
 */
@ExtractFeatures(
    value = {"x", "leaf_module"},
    leafModules = LeafTestModule.Leaf.class,
    leafFunctions = "dev.featurex.samples.other.LeafTestModule.leafFunction")
public class LeafTestModule extends Module {

  /** Would not trace: an int cast of a traced size. */
  public static class Leaf extends Module {
    /** {@code relu(x + 4)}, after a cast the tracer refuses. */
    public Tensor forward(Tensor x) {
      int batch = (int) x.size(0);
      return torch.relu(x.add(new Scalar(4 + batch - batch)));
    }
  }

  private final Conv2dImpl conv =
      register_module("conv", new Conv2dImpl(3, 1, new LongPointer(3L, 3L)));
  private final Leaf leafModule = register_module("leaf_module", new Leaf());

  /** Would not trace either: an int cast of a traced size. */
  public static int leafFunction(long n) {
    return (int) n;
  }

  /** The input through the convolution and the leaf module. */
  public Tensor forward(Tensor x) {
    leafFunction(x.size(0));
    x = conv.forward(x);
    return leafModule.forward(x);
  }
}
