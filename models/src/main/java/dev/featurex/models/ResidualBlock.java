package dev.featurex.models;

import org.bytedeco.pytorch.Tensor;

/** A block of a {@link ResNet} stage: {@link BasicBlock} or {@link Bottleneck}. */
public interface ResidualBlock {

  /** Runs the block on {@code x}. */
  Tensor forward(Tensor x);
}
