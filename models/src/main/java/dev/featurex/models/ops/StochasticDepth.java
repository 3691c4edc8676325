package dev.featurex.models.ops;

import dev.featurex.annotations.LeafModule;
import java.util.Arrays;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * torchvision's {@code ops.StochasticDepth} (Huang et al., 2016): in training, drops the residual
 * branch of a whole batch ({@code "batch"}) or of each sample ({@code "row"}) with probability
 * {@code p}, scaling what survives by {@code 1 / (1 - p)}; the identity in evaluation. A leaf, as
 * in torchvision's feature extraction.
 */
@LeafModule
public class StochasticDepth extends Module {

  private final double p;
  private final boolean row;

  /**
   * Drops with probability {@code p} per {@code mode}.
   *
   * @throws IllegalArgumentException if {@code p} is not in [0, 1] or {@code mode} is neither
   *     {@code "batch"} nor {@code "row"}
   */
  public StochasticDepth(double p, String mode) {
    if (p < 0.0 || p > 1.0) {
      throw new IllegalArgumentException(
          "drop probability has to be between 0 and 1, but got " + p);
    }
    if (!mode.equals("batch") && !mode.equals("row")) {
      throw new IllegalArgumentException(
          "mode has to be either 'batch' or 'row', but got \"" + mode + "\"");
    }
    this.p = p;
    this.row = mode.equals("row");
  }

  /** The drop probability. */
  public double p() {
    return p;
  }

  /** {@code input}, or a randomly zeroed and rescaled copy in training. */
  public Tensor forward(Tensor input) {
    if (!is_training() || p == 0.0) {
      return input;
    }
    double survivalRate = 1.0 - p;
    long[] size = new long[(int) input.dim()];
    Arrays.fill(size, 1L);
    if (row) {
      size[0] = input.size(0);
    }
    Tensor noise = input.new_empty(size); // the input's dtype and device
    noise.bernoulli_(survivalRate, new GeneratorOptional());
    if (survivalRate > 0.0) {
      noise.div_(new Scalar(survivalRate));
    }
    return input.mul(noise);
  }
}
