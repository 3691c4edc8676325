package dev.featurex.runtime;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** {@link Pooling}: the command line's and the Spark job's {@code --pool}, and the copy out. */
class PoolingTest {

  @Test
  @SuppressWarnings("try") // the scope frees the test's tensors
  void copyPoolsConvertsToFloatAndReadsInLogicalOrder() {
    try (PointerScope scope = new PointerScope()) {
      // 2 x 3 x 2 x 2 of 0..23, as float64, then transposed to 2 x 3 x 2 x 2 (not contiguous)
      Tensor base = torch.arange(new org.bytedeco.pytorch.Scalar(24)).to(torch.ScalarType.Double);
      Tensor x = base.reshape(2, 3, 2, 2).transpose(2, 3);
      assertThat(x.is_contiguous()).isFalse();

      Pooling.Copy none = Pooling.NONE.copy(x);
      assertThat(none.shape()).isEqualTo(new long[] {2, 3, 2, 2});
      // element [0][0][0][1] of the transposed tensor is element [0][0][1][0] of the base: 2
      assertThat(none.values()[1]).isEqualTo(2f);
      assertThat(none.values()[2]).isEqualTo(1f);
      assertThat(none.values()).hasLength(24);

      Pooling.Copy avg = Pooling.AVG.copy(x);
      assertThat(avg.shape()).isEqualTo(new long[] {2, 3});
      float[] expected = new float[6];
      for (int i = 0; i < 6; i++) {
        expected[i] = (4 * i + 4 * i + 1 + 4 * i + 2 + 4 * i + 3) / 4f; // each 2 x 2 map's mean
      }
      assertThat(avg.values()).isEqualTo(expected);

      // rank 2 is kept as it is; an empty batch gives no values
      assertThat(Pooling.AVG.copy(base.reshape(4, 6)).shape()).isEqualTo(new long[] {4, 6});
      Pooling.Copy empty = Pooling.AVG.copy(torch.zeros(0, 8, 3, 3));
      assertThat(empty.shape()).isEqualTo(new long[] {0, 8});
      assertThat(empty.values()).isEmpty();
    }
  }

  @Test
  void parseNamesBothAndRefusesOthersWithTheChoice() {
    assertThat(Pooling.parse(" AVG ", "--pool")).isEqualTo(Pooling.AVG);
    assertThat(Pooling.parse("none", "--pool")).isEqualTo(Pooling.NONE);
    assertThat(assertThrows(IllegalArgumentException.class, () -> Pooling.parse("max", "--pool")))
        .hasMessageThat()
        .isEqualTo("unknown --pool \"max\"; use none or avg");
  }
}
