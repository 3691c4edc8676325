package dev.featurex.runtime.internal;

import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * One convolution and the batch norm after it, as one convolution: weights {@code w * s} and bias
 * {@code (b - mean) * s + beta}, where {@code s = gamma / sqrt(var + eps)}, computed in float64 and
 * rounded once to the weights' type; in eval mode this is what the two modules compute, up to
 * rounding. Immutable; it remembers the tensors it was made from (their identity and version
 * counter) and the running statistics' values, so that {@link #stale} sees any change: libtorch's
 * batch norm updates its running statistics in training mode without moving their version counters.
 *
 * <p>A pair that cannot be folded ({@link #foldable()} false) runs unfolded for good: a batch norm
 * without running statistics, a padding mode other than zeros, weights that are not floating point
 * or whose version the runtime cannot read (inference tensors), or shapes that do not match.
 */
final class FoldedConvolution {

  private final Tensor[] madeFrom;
  private final long[] versions;
  private final Tensor[] statistics;
  private final Tensor weight;
  private final TensorOptional bias;
  private final ConvolutionGeometry geometry;

  private FoldedConvolution(
      Tensor[] madeFrom,
      long[] versions,
      Tensor[] statistics,
      Tensor weight,
      TensorOptional bias,
      ConvolutionGeometry geometry) {
    this.madeFrom = madeFrom;
    this.versions = versions;
    this.statistics = statistics;
    this.weight = weight;
    this.bias = bias;
    this.geometry = geometry;
  }

  /**
   * The module members a fold is made from, read through the modules each time (so a member that is
   * replaced is seen): convolution weight and bias, batch-norm weight, bias, running mean and
   * running variance.
   */
  static Tensor[] sources(Conv2dImpl convolution, BatchNorm2dImpl norm) {
    return new Tensor[] {
      convolution.weight(),
      convolution.bias(),
      norm.weight(),
      norm.bias(),
      norm.running_mean(),
      norm.running_var()
    };
  }

  /** Whether this pair runs as one convolution. */
  boolean foldable() {
    return weight != null;
  }

  /**
   * Whether a source tensor changed since this was made: another tensor in its place, the same one
   * written in place, or running statistics of other values (a forward in training mode updates
   * them without moving their version: compared by value, {@code C} numbers each). A pair that
   * cannot be folded stays so.
   */
  boolean stale(Tensor[] sources) {
    if (!foldable()) {
      return false;
    }
    for (int i = 0; i < sources.length; i++) {
      Tensor now = sources[i];
      if (madeFrom[i] == null) {
        if (now.defined()) {
          return true;
        }
      } else if (!now.is_same(madeFrom[i]) || now._version() != versions[i]) {
        return true;
      }
    }
    return !torch.equal(sources[4], statistics[0]) || !torch.equal(sources[5], statistics[1]);
  }

  /** The folded convolution of {@code input}. */
  Tensor forward(Tensor input) {
    return geometry.conv2d(input, weight, bias);
  }

  /**
   * The folded convolution of {@code input}, through oneDNN's kernel where {@code decisions} find
   * that faster for its shape ({@link OneDnnConvolutions#choose}); named padding always takes
   * libtorch's.
   */
  Tensor forward(Tensor input, Map<List<Long>, Faster.Decision> decisions) {
    if (!geometry.numericPadding()) {
      return forward(input);
    }
    return OneDnnConvolutions.choose(
        decisions, input, weight, () -> forward(input), () -> geometry.oneDnn(input, weight, bias));
  }

  /**
   * Folds the pair as it is now. Call inside a {@code PointerScope} of its own: what is kept is
   * retained past it, everything else is freed with it.
   */
  static FoldedConvolution make(Conv2dImpl convolution, BatchNorm2dImpl norm, Tensor[] sources) {
    FoldedConvolution unfoldable = new FoldedConvolution(null, null, null, null, null, null);
    ConvolutionGeometry geometry = ConvolutionGeometry.of(convolution);
    Tensor w = sources[0];
    Tensor mean = sources[4];
    Tensor var = sources[5];
    if (!w.defined()
        || !w.is_floating_point()
        || !mean.defined()
        || !var.defined()
        || !norm.options().track_running_stats().get()
        || mean.numel() != w.size(0)
        || geometry == null) {
      return unfoldable;
    }
    Tensor[] madeFrom = new Tensor[sources.length];
    long[] versions = new long[sources.length];
    try {
      for (int i = 0; i < sources.length; i++) {
        if (sources[i].defined()) {
          versions[i] = sources[i]._version();
          madeFrom[i] = new Tensor(sources[i]).retainReference();
        }
      }
    } catch (RuntimeException inferenceTensor) {
      return unfoldable; // "Inference tensors do not track version counter"
    }
    double eps = norm.options().eps().get();
    torch.ScalarType type = w.scalar_type();
    Tensor scale = var.to(torch.ScalarType.Double).add(new Scalar(eps)).rsqrt();
    if (sources[2].defined()) {
      scale = scale.mul(sources[2].to(torch.ScalarType.Double));
    }
    Tensor weight =
        w.to(torch.ScalarType.Double).mul(scale.reshape(-1, 1, 1, 1)).to(type).contiguous();
    Tensor shift = mean.to(torch.ScalarType.Double).neg();
    if (sources[1].defined()) {
      shift = shift.add(sources[1].to(torch.ScalarType.Double));
    }
    shift = shift.mul(scale);
    if (sources[3].defined()) {
      shift = shift.add(sources[3].to(torch.ScalarType.Double));
    }
    return new FoldedConvolution(
        madeFrom,
        versions,
        new Tensor[] {mean.clone().retainReference(), var.clone().retainReference()},
        weight.retainReference(),
        new TensorOptional(shift.to(type)).retainReference(),
        geometry);
  }
}
