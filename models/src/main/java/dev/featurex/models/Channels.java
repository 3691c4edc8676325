package dev.featurex.models;

/** Channel arithmetic shared by the mobile families. */
final class Channels {

  private Channels() {}

  /**
   * torchvision's {@code _make_divisible} (from the TensorFlow models): {@code v} rounded to the
   * nearest multiple of {@code divisor}, at least {@code divisor}, and not below 90% of {@code v}.
   */
  static long makeDivisible(double v, long divisor) {
    long newV = Math.max(divisor, (long) (v + divisor / 2.0) / divisor * divisor);
    if (newV < 0.9 * v) {
      newV += divisor;
    }
    return newV;
  }
}
