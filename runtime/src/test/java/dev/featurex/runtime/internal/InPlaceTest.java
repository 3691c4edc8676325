package dev.featurex.runtime.internal;

import static com.google.common.truth.Truth.assertThat;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * An in-place add writes into its first operand exactly when that gives the out-of-place result:
 * same sizes and same type. It once compared the presets' {@code ScalarType} objects, which are new
 * at every call, and so never wrote in place.
 */
class InPlaceTest {

  @SuppressWarnings("try") // a PointerScope works by being open, never named
  @Test
  void addOfSameSizeAndTypeWritesIntoItsFirstOperand() {
    try (PointerScope scope = new PointerScope()) {
      torch.manual_seed(1);
      Tensor into = torch.randn(2, 3, 4, 4);
      Tensor other = torch.randn(2, 3, 4, 4);
      Tensor expected = into.add(other);
      Tensor scaledExpected = expected.add(other, new Scalar(0.5));
      long storage = into.data_ptr().address();

      Tensor sum = InPlace.add(into, other);
      assertThat(sum).isSameInstanceAs(into);
      assertThat(sum.data_ptr().address()).isEqualTo(storage);
      assertThat(torch.equal(sum, expected)).isTrue();

      Tensor scaled = InPlace.add(into, other, new Scalar(0.5));
      assertThat(scaled).isSameInstanceAs(into);
      assertThat(torch.equal(scaled, scaledExpected)).isTrue();
    }
  }

  @SuppressWarnings("try") // a PointerScope works by being open, never named
  @Test
  void addThatWouldBroadcastOrPromoteReturnsANewTensor() {
    try (PointerScope scope = new PointerScope()) {
      torch.manual_seed(2);
      Tensor into = torch.randn(2, 3, 4, 4);
      Tensor row = torch.randn(4); // broadcasts
      Tensor before = into.clone();
      Tensor broadcast = InPlace.add(into, row);
      assertThat(broadcast).isNotSameInstanceAs(into);
      assertThat(torch.equal(broadcast, before.add(row))).isTrue();
      assertThat(torch.equal(into, before)).isTrue(); // untouched

      Tensor ints = torch.ones(2, 3, 4, 4).to(torch.ScalarType.Int);
      Tensor promoted = InPlace.add(ints, into); // int + float is float
      assertThat(promoted).isNotSameInstanceAs(ints);
      assertThat(promoted.scalar_type().value).isEqualTo(torch.ScalarType.Float.value);
      assertThat(torch.equal(promoted, into.add(new Scalar(1.0)))).isTrue();
    }
  }
}
