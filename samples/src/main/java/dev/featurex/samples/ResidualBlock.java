package dev.featurex.samples;

import org.bytedeco.pytorch.Tensor;

/** A residual block of {@link ResNet}: {@link BasicBlock} or {@link Bottleneck}. */
public interface ResidualBlock {

  /** Runs the block on {@code x}. */
  Tensor forward(Tensor x);
}
