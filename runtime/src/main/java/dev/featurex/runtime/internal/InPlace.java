package dev.featurex.runtime.internal;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The in-place variants that inference plans use where a node may overwrite an input ({@link
 * dev.featurex.graph.NodeTraits#overwritable()}). Each returns the same values as the out-of-place
 * call, bit for bit: libtorch runs the same kernel and only the output's memory differs.
 *
 * <p>Each returns the very Java object it wrote into, not the wrapper that JavaCPP makes of the
 * reference libtorch returns: that wrapper owns nothing and would dangle once the owner is freed,
 * while plans free an in-place result through the object that owns it. An in-place add returns a
 * new tensor instead when writing into its first operand could change the result (operands of
 * different shapes, which broadcast, or of different types, which promote).
 */
public final class InPlace {

  private InPlace() {}

  /** {@code relu(x)}, written into {@code x}; returns {@code x}. */
  public static Tensor relu(Tensor x) {
    torch.relu_(x);
    return x;
  }

  /** {@code sigmoid(x)}, written into {@code x}; returns {@code x}. */
  public static Tensor sigmoid(Tensor x) {
    torch.sigmoid_(x);
    return x;
  }

  /** {@code tanh(x)}, written into {@code x}; returns {@code x}. */
  public static Tensor tanh(Tensor x) {
    torch.tanh_(x);
    return x;
  }

  /** {@code silu(x)}, written into {@code x}; returns {@code x}. */
  public static Tensor silu(Tensor x) {
    torch.silu_(x);
    return x;
  }

  /** {@code relu6(x)} ({@code hardtanh(x, 0, 6)}), written into {@code x}; returns {@code x}. */
  public static Tensor relu6(Tensor x) {
    torch.hardtanh_(x, new Scalar(0.0), new Scalar(6.0));
    return x;
  }

  /**
   * {@code into + other}, written into {@code into} (and returning it) when that gives the same
   * tensor, else a new tensor.
   */
  public static Tensor add(Tensor into, Tensor other) {
    if (!fits(into, other)) {
      return into.add(other);
    }
    into.add_(other);
    return into;
  }

  /**
   * {@code into + alpha * other}, written into {@code into} (and returning it) when that gives the
   * same tensor, else a new tensor.
   */
  public static Tensor add(Tensor into, Tensor other, Scalar alpha) {
    if (!fits(into, other)) {
      return into.add(other, alpha);
    }
    into.add_(other, alpha);
    return into;
  }

  /**
   * Same sizes and same type. The types are compared by value: the presets return a new {@code
   * ScalarType} object at every call, so comparing the objects never matched, and every add ran out
   * of place.
   */
  private static boolean fits(Tensor into, Tensor other) {
    return into.is_same_size(other) && into.scalar_type().value == other.scalar_type().value;
  }

  /**
   * The in-place forward of the built-in activation module whose C++ type is {@code type} ({@code
   * torch::nn::ReLUImpl} or {@code ReLUImpl}), on {@code x}: one of those {@link
   * dev.featurex.graph.NodeTraits#ofModule} marks as overwriting its input; returns {@code x}.
   *
   * @throws IllegalArgumentException for any other type
   */
  public static Tensor activation(String type, Tensor x) {
    String simple = type.substring(type.lastIndexOf(':') + 1);
    return switch (simple) {
      case "ReLUImpl" -> relu(x);
      case "ReLU6Impl" -> relu6(x);
      case "SiLUImpl" -> silu(x);
      case "SigmoidImpl" -> sigmoid(x);
      case "TanhImpl" -> tanh(x);
      default -> throw new IllegalArgumentException("no in-place variant for a " + type);
    };
  }
}
