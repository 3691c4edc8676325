package dev.featurex.samples.other;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLU6Impl;
import org.bytedeco.pytorch.Tensor;

/**
 * Convolution, batch norm, ReLU6; written in another style than the zoo's (fields set in the
 * constructor body).
 */
public class ConvBnAct extends Module {

  private final Conv2dImpl conv;
  private final BatchNorm2dImpl norm;
  private final ReLU6Impl act;
  private final boolean residual;

  public ConvBnAct(int in, int out, int stride) {
    Conv2dOptions options = new Conv2dOptions(in, out, new LongPointer(3L, 3L));
    options.stride().put(new long[] {stride, stride});
    options.padding().put(new LongPointer(1L, 1L));
    this.conv = register_module("conv", new Conv2dImpl(options));
    this.norm = register_module("norm", new BatchNorm2dImpl(new BatchNormOptions(out)));
    this.act = register_module("act", new ReLU6Impl());
    this.residual = in == out && stride == 1;
  }

  /** Whether the block's input can be added to its output. */
  public boolean residual() {
    return residual;
  }

  public Tensor forward(Tensor x) {
    return act.forward(norm.forward(conv.forward(x)));
  }
}
