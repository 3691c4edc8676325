package dev.featurex.runtime.internal;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The 2-d max poolings of an extractor, each run on a channels-last copy of its input where that
 * measures faster ({@link dev.featurex.runtime.Optimization#CHANNELS_LAST_MAX_POOL}), per shape of
 * a contiguous 4-d input ({@link Faster}: timed on the shape's first call and for good on its
 * 16th). Both ways give the same tensor, bit for bit, in the same (contiguous) layout; the copies
 * made on the way are freed at once. An input that is not contiguous runs as the module runs it.
 *
 * <p>Thread-safe: decisions are kept in concurrent maps; two threads meeting a new shape at once
 * may both time it.
 */
final class MaxPools {

  private final Optimizations optimizations;
  private final MaxPool2dImpl[] pools;
  private final List<Map<List<Long>, Faster.Decision>> channelsLast;

  MaxPools(Optimizations optimizations, MaxPool2dImpl[] pools) {
    this.optimizations = Objects.requireNonNull(optimizations, "optimizations");
    this.pools = pools.clone();
    for (MaxPool2dImpl pool : pools) {
      Objects.requireNonNull(pool, "a max pooling module");
    }
    this.channelsLast = new java.util.ArrayList<>();
    for (int i = 0; i < pools.length; i++) {
      channelsLast.add(new ConcurrentHashMap<>());
    }
  }

  int size() {
    return pools.length;
  }

  /** Pooling {@code pool} of {@code input}, the faster way for its shape. */
  Tensor forward(int pool, Tensor input) {
    MaxPool2dImpl module = pools[pool];
    if (!optimizations.channelsLastMaxPool() || input.dim() != 4 || !input.is_contiguous()) {
      return module.forward(input);
    }
    return Faster.ofShape(
        channelsLast.get(pool),
        input,
        () -> module.forward(input),
        () -> viaChannelsLast(module, input));
  }

  /** The pooling computed on a channels-last copy, copied back to contiguous. */
  static Tensor viaChannelsLast(MaxPool2dImpl module, Tensor input) {
    Tensor copy = input.contiguous(torch.MemoryFormat.ChannelsLast);
    Tensor pooled = module.forward(copy);
    copy.deallocate();
    Tensor result = pooled.contiguous();
    pooled.deallocate();
    return result;
  }
}
