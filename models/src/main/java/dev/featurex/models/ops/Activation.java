package dev.featurex.models.ops;

import org.bytedeco.pytorch.GELUImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLU6Impl;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SiLUImpl;
import org.bytedeco.pytorch.SigmoidImpl;
import org.bytedeco.pytorch.Tensor;

/**
 * The activation layers torchvision's models pass as {@code activation_layer}: each creates its
 * module and runs it.
 */
public enum Activation {
  /** {@code nn.ReLU}. */
  RELU,
  /** {@code nn.ReLU6}. */
  RELU6,
  /** {@code nn.Hardswish}. */
  HARDSWISH,
  /** {@code nn.Hardsigmoid}. */
  HARDSIGMOID,
  /** {@code nn.SiLU}. */
  SILU,
  /** {@code nn.Sigmoid}. */
  SIGMOID,
  /** {@code nn.GELU}. */
  GELU;

  /** A new module of this activation. */
  public Module create() {
    return switch (this) {
      case RELU -> new ReLUImpl();
      case RELU6 -> new ReLU6Impl();
      case HARDSWISH -> new Hardswish();
      case HARDSIGMOID -> new Hardsigmoid();
      case SILU -> new SiLUImpl();
      case SIGMOID -> new SigmoidImpl();
      case GELU -> new GELUImpl();
    };
  }

  /**
   * Runs {@code module}, which {@link #create} made, on {@code x}.
   *
   * @throws ClassCastException if {@code module} is not this activation's module
   */
  public Tensor apply(Module module, Tensor x) {
    return switch (this) {
      case RELU -> ((ReLUImpl) module).forward(x);
      case RELU6 -> ((ReLU6Impl) module).forward(x);
      case HARDSWISH -> ((Hardswish) module).forward(x);
      case HARDSIGMOID -> ((Hardsigmoid) module).forward(x);
      case SILU -> ((SiLUImpl) module).forward(x);
      case SIGMOID -> ((SigmoidImpl) module).forward(x);
      case GELU -> ((GELUImpl) module).forward(x);
    };
  }
}
