package dev.featurex.samples.support;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Changes every weight of a model in place, so that a test comparing an extractor with {@code
 * forward} can compare again: a graph that baked a parameter in as a constant agrees with {@code
 * forward} only until the weights change.
 */
public final class Weights {

  private Weights() {}

  /**
   * Adds noise to every floating parameter and scales every floating buffer by a random factor in
   * [0.75, 1.25) (running variances stay positive), deterministically for {@code seed}.
   */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  public static void perturb(Module model, long seed) {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      torch.manual_seed(seed);
      StringTensorDict parameters = model.named_parameters(true);
      for (long i = 0; i < parameters.size(); i++) {
        Tensor p = parameters.get(i).value();
        if (p.is_floating_point()) {
          p.add_(torch.randn_like(p).mul(new Scalar(0.25)));
        }
      }
      StringTensorDict buffers = model.named_buffers(true);
      for (long i = 0; i < buffers.size(); i++) {
        Tensor b = buffers.get(i).value();
        if (b.is_floating_point()) {
          b.mul_(torch.rand_like(b).mul(new Scalar(0.5)).add(new Scalar(0.75)));
        }
      }
    }
  }
}
