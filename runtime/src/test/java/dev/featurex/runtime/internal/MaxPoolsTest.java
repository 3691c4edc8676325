package dev.featurex.runtime.internal;

import static com.google.common.truth.Truth.assertThat;

import dev.featurex.runtime.Optimization;
import java.util.Set;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.MaxPool2dOptions;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** Max pooling in either layout gives the module's tensor, bit for bit, in the module's layout. */
class MaxPoolsTest {

  private static final MaxPool2dImpl POOL = pool(); // kept reachable: JavaCPP frees it otherwise

  private static MaxPool2dImpl pool() {
    MaxPool2dOptions options = new MaxPool2dOptions(new LongPointer(3L, 3L));
    options.stride().put(new long[] {2, 2});
    options.padding().put(new long[] {1, 1});
    return new MaxPool2dImpl(options);
  }

  private static MaxPools pools(Set<Optimization> optimizations) {
    return new MaxPools(Optimizations.of(optimizations), new MaxPool2dImpl[] {POOL});
  }

  @SuppressWarnings("try") // a NoGradGuard works by being open, never named
  @Test
  void theChannelsLastWayGivesTheModulesTensorInItsLayout() {
    try (NoGradGuard noGrad = new NoGradGuard()) {
      Tensor x = torch.randn(2, 8, 17, 17);
      Tensor copy = x.clone();
      Tensor expected = POOL.forward(x);
      Tensor viaChannelsLast = MaxPools.viaChannelsLast(POOL, x);
      assertThat(torch.equal(viaChannelsLast, expected)).isTrue();
      assertThat(viaChannelsLast.is_contiguous()).isTrue();
      assertThat(torch.equal(x, copy)).isTrue();
      // Whichever way the timing picks, and on later calls with the decision made.
      MaxPools pools = pools(Optimization.defaults());
      for (int call = 0; call < 3; call++) {
        Tensor y = pools.forward(0, x);
        assertThat(torch.equal(y, expected)).isTrue();
        assertThat(y.is_contiguous()).isTrue();
      }
    }
  }

  @SuppressWarnings("try") // a NoGradGuard works by being open, never named
  @Test
  void otherInputsAndTheOptionOffRunAsTheModuleRunsThem() {
    try (NoGradGuard noGrad = new NoGradGuard()) {
      Tensor channelsLast = torch.randn(2, 8, 9, 9).contiguous(torch.MemoryFormat.ChannelsLast);
      Tensor y = pools(Optimization.defaults()).forward(0, channelsLast);
      assertThat(torch.equal(y, POOL.forward(channelsLast))).isTrue();
      assertThat(y.is_contiguous()).isFalse(); // channels-last in, channels-last out, as the module
      Tensor threeD = torch.randn(8, 9, 9);
      assertThat(
              torch.equal(pools(Optimization.defaults()).forward(0, threeD), POOL.forward(threeD)))
          .isTrue();
      Tensor x = torch.randn(1, 4, 8, 8);
      assertThat(torch.equal(pools(Optimization.none()).forward(0, x), POOL.forward(x))).isTrue();
    }
  }
}
