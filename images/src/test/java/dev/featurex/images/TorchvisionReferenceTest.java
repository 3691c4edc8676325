package dev.featurex.images;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The preprocessing against torchvision's, on the generated images of every format and layout, with
 * the values torchvision computed once (see {@link Reference}). Lossless formats must match
 * exactly; JPEGs within 0.02 at the 99.9th percentile (the bar), and in practice exactly.
 */
class TorchvisionReferenceTest {

  static List<Reference.Case> cases() {
    return Reference.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesTorchvision(Reference.Case c) throws Exception {
    Preprocessing p = c.preprocessing();
    RgbImage image =
        ImageDecoder.create().decode(ImageSource.of(c.image(), Reference.bytes(c.image())));
    float[] mine = Reference.subsample(p.apply(image), p.height(), p.width(), c.step());
    float[] theirs = c.expectedValues();
    assertThat(mine.length).isEqualTo(theirs.length);

    double[] diffs = new double[mine.length];
    for (int i = 0; i < mine.length; i++) {
      diffs[i] = Math.abs(mine[i] - theirs[i]);
    }
    Arrays.sort(diffs);
    double max = diffs[diffs.length - 1];
    double p999 = diffs[(int) Math.ceil(0.999 * diffs.length) - 1];
    System.out.printf("%-32s max |diff| %.3g, p99.9 %.3g%n", c.name(), max, p999);
    if (c.lossless()) {
      assertWithMessage("%s: max |diff|", c.name()).that(max).isEqualTo(0.0);
    } else {
      assertWithMessage("%s: p99.9 |diff|", c.name()).that(p999).isAtMost(0.02);
      assertWithMessage("%s: max |diff|", c.name()).that(max).isAtMost(0.1);
    }
  }
}
