package dev.featurex.images;

/**
 * The fixed-point weights of one axis of Pillow's two-pass resampling: for each output position,
 * the first input position it reads and the integer weights of the inputs it reads.
 *
 * <p>The rule (Pillow's {@code precompute_coeffs} and {@code normalize_coeffs_8bpc}, re-derived
 * here): output position {@code i} is centred on input coordinate {@code (i + 0.5) * scale}, with
 * {@code scale = in / out}; the filter's support is widened by {@code max(scale, 1)} (this is the
 * antialiasing); the window covers the inputs whose centres fall within the support, rounded half
 * up and clamped to the image; weights are the filter at the distance divided by the widening,
 * normalised to sum 1, then scaled to 22-bit fixed point and rounded half away from zero. All in
 * double precision, as Pillow.
 */
final class AxisKernel {

  /** Fractional bits of the weights: 32 bits less 8 for the value and 2 for overshoot. */
  static final int PRECISION_BITS = 32 - 8 - 2;

  /** Half of one in fixed point: added before the shift so that it rounds. */
  static final int HALF = 1 << (PRECISION_BITS - 1);

  final int outSize;
  final int stride;
  final int[] first;
  final int[] count;
  final int[] weights;

  private AxisKernel(int outSize, int stride, int[] first, int[] count, int[] weights) {
    this.outSize = outSize;
    this.stride = stride;
    this.first = first;
    this.count = count;
    this.weights = weights;
  }

  /** The weights that resample {@code inSize} input positions to {@code outSize} outputs. */
  static AxisKernel of(int inSize, int outSize, Interpolation filter) {
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = filter.support() * filterScale;
    int stride = (int) Math.ceil(support) * 2 + 1;
    int[] first = new int[outSize];
    int[] count = new int[outSize];
    int[] weights = new int[outSize * stride];
    double[] w = new double[stride];
    double invScale = 1.0 / filterScale;
    for (int i = 0; i < outSize; i++) {
      double center = (i + 0.5) * scale;
      int min = Math.max((int) (center - support + 0.5), 0);
      int n = Math.min((int) (center + support + 0.5), inSize) - min;
      double sum = 0.0;
      for (int k = 0; k < n; k++) {
        w[k] = filter.weight((k + min - center + 0.5) * invScale);
        sum += w[k];
      }
      for (int k = 0; k < n; k++) {
        double normalized = sum != 0.0 ? w[k] / sum : w[k];
        weights[i * stride + k] = toFixed(normalized);
      }
      first[i] = min;
      count[i] = n;
    }
    return new AxisKernel(outSize, stride, first, count, weights);
  }

  /**
   * The first input that outputs {@code lo} and after read (windows move forward with the output
   * position).
   */
  int firstInput(int lo) {
    return first[lo];
  }

  /** One past the last input that any output in {@code [lo, hi)} reads. */
  int endInput(int lo, int hi) {
    int end = 0;
    for (int i = lo; i < hi; i++) {
      end = Math.max(end, first[i] + count[i]);
    }
    return end;
  }

  private static int toFixed(double weight) {
    double scaled = weight * (1 << PRECISION_BITS);
    return (int) (weight < 0 ? scaled - 0.5 : scaled + 0.5);
  }

  /** Pillow's {@code clip8}: the fixed-point sum shifted down and clamped to 0..255. */
  static int clip8(int sum) {
    int v = sum >> PRECISION_BITS;
    return v < 0 ? 0 : Math.min(v, 255);
  }
}
