package dev.featurex.samples.other;

import dev.featurex.annotations.ExtractFeatures;
import dev.featurex.annotations.Traceable;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * Two configurations with one module tree: a flag, read in forward, decides whether it adds a
 * residual. Only the flag tells them apart.
 */
@Traceable(factories = {"plain", "residual"})
@ExtractFeatures(factory = "plain", value = "fc:out")
public class FlagNet extends Module {

  private final boolean residual;
  private final LinearImpl fc = register_module("fc", new LinearImpl(4, 4));

  /** A net that adds its input to the output when {@code residual}. */
  public FlagNet(boolean residual) {
    this.residual = residual;
  }

  /** Without the residual. */
  public static FlagNet plain() {
    return new FlagNet(false);
  }

  /** With the residual. */
  public static FlagNet residual() {
    return new FlagNet(true);
  }

  /** {@code fc(x)}, plus {@code x} when residual. */
  public Tensor forward(Tensor x) {
    Tensor y = fc.forward(x);
    return residual ? y.add(x) : y;
  }
}
