package dev.featurex.runtime;

import static com.google.common.truth.Truth.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** One extractor, called from several threads at once. */
class ConcurrentForwardTest {

  private static final int THREADS = 4;
  private static final int CALLS = 50;
  private static final int INPUTS = 5;

  @SuppressWarnings("try") // a PointerScope works by being open, never named
  @Test
  void fourThreadsTimesFiftyCallsEqualSingleThreadedResults() throws Exception {
    SequentialImpl model = NativeSequentialExtractionTest.vggStyle();
    model.eval();
    FeatureExtractor extractor =
        FeatureExtraction.createFeatureExtractor(model, Map.of("1", "a", "4", "b", "7", "c"));
    List<Tensor> inputs = new ArrayList<>();
    List<Map<String, Tensor>> expected = new ArrayList<>();
    for (int i = 0; i < INPUTS; i++) {
      inputs.add(torch.randn(1, 3, 16, 16));
      expected.add(extractor.forward(inputs.get(i)));
    }

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int offset = t;
        Callable<Integer> worker =
            () -> {
              start.await();
              int equal = 0;
              for (int call = 0; call < CALLS; call++) {
                int i = (call + offset) % INPUTS;
                try (PointerScope scope = new PointerScope()) {
                  Map<String, Tensor> out = extractor.forward(inputs.get(i));
                  boolean same = out.keySet().equals(expected.get(i).keySet());
                  for (String key : out.keySet()) {
                    same &= torch.equal(out.get(key), expected.get(i).get(key));
                  }
                  equal += same ? 1 : 0;
                }
              }
              return equal;
            };
        results.add(pool.submit(worker));
      }
      start.countDown();
      for (Future<Integer> result : results) {
        assertThat(result.get(120, TimeUnit.SECONDS)).isEqualTo(CALLS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
