package dev.featurex.images;

/**
 * The resampling filters of torchvision's {@code InterpolationMode} on PIL images, computed as
 * Pillow computes them.
 *
 * <p>Every filter but {@link #NEAREST} is Pillow's separable convolution with antialiasing: when
 * the image shrinks, the filter's support is widened by the shrink factor, so each output pixel
 * averages all the input pixels it covers (PIL's {@code Image.resize}, which torchvision's {@code
 * Resize} calls on PIL images whatever its {@code antialias} argument says). {@link #NEAREST} picks
 * one input pixel per output pixel, as Pillow's {@code NEAREST} does.
 */
public enum Interpolation {
  /** Pillow's {@code NEAREST}: the input pixel under each output pixel's centre, no filtering. */
  NEAREST(0.0),
  /** Pillow's {@code BILINEAR}: a triangle filter (support 1), torchvision's default. */
  BILINEAR(1.0),
  /** Pillow's {@code BICUBIC}: Keys' cubic with a = -0.5 (support 2). */
  BICUBIC(2.0),
  /** Pillow's {@code BOX}: each output pixel is the mean of the input pixels it covers. */
  BOX(0.5),
  /** Pillow's {@code HAMMING}: a Hamming-windowed sinc (support 1). */
  HAMMING(1.0),
  /** Pillow's {@code LANCZOS}: a Lanczos-windowed sinc with three lobes (support 3). */
  LANCZOS(3.0);

  private final double support;

  Interpolation(double support) {
    this.support = support;
  }

  /** The filter's half-width in input pixels at scale 1 (Pillow's {@code support}). */
  double support() {
    return support;
  }

  /**
   * The filter's weight at distance {@code x} (in input pixels at scale 1), with Pillow's formulas
   * (in double precision, as Pillow's C code).
   */
  double weight(double x) {
    switch (this) {
      case BILINEAR:
        x = Math.abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
      case BICUBIC:
        return bicubic(Math.abs(x));
      case BOX:
        return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
      case HAMMING:
        return hamming(Math.abs(x));
      case LANCZOS:
        return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0;
      case NEAREST:
      default:
        throw new IllegalStateException(this + " is not a convolution filter");
    }
  }

  private static double bicubic(double x) {
    double a = -0.5;
    if (x < 1.0) {
      return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0.0;
  }

  private static double hamming(double x) {
    if (x == 0.0) {
      return 1.0;
    }
    if (x >= 1.0) {
      return 0.0;
    }
    x = x * Math.PI;
    // Pillow writes the window's constants as C floats, widened to double.
    return Math.sin(x) / x * (0.54f + 0.46f * Math.cos(x));
  }

  private static double sinc(double x) {
    if (x == 0.0) {
      return 1.0;
    }
    x = x * Math.PI;
    return Math.sin(x) / x;
  }
}
