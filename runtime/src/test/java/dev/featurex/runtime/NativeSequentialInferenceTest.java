package dev.featurex.runtime;

import static com.google.common.truth.Truth.assertThat;
import static dev.featurex.runtime.KeepAlive.keep;

import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * Trees traced at run time get their node traits from their modules' types: convolutions fold their
 * batch norms, ReLUs run in place, values are freed after their last use; the features are those of
 * the unoptimized extractor.
 */
class NativeSequentialInferenceTest {

  /** conv, bn, relu, conv, bn, relu on 1x3x8x8. */
  private static SequentialImpl convBnRelu() {
    torch.manual_seed(9);
    SequentialImpl net = new SequentialImpl();
    for (long[] channels : new long[][] {{3, 8}, {8, 8}}) {
      Conv2dOptions options = new Conv2dOptions(channels[0], channels[1], new LongPointer(3L, 3L));
      options.padding().put(new LongPointer(1L, 1L));
      net.push_back(keep(new Conv2dImpl(options)));
      net.push_back(keep(new BatchNorm2dImpl(new BatchNormOptions(channels[1]))));
      net.push_back(keep(new ReLUImpl()));
    }
    return net;
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  private static void perturb(SequentialImpl net) {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      StringTensorDict buffers = net.named_buffers(true);
      for (long i = 0; i < buffers.size(); i++) {
        Tensor b = buffers.get(i).value();
        if (b.is_floating_point()) {
          b.mul_(torch.rand_like(b).add(new Scalar(0.5)));
        }
      }
    }
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void foldedAndInPlaceFeaturesEqualTheUnoptimizedOnes() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      SequentialImpl net = convBnRelu();
      perturb(net);
      net.eval();
      Tensor x = torch.randn(2, 3, 8, 8);
      List<String> nodes = List.of("1", "5");
      FeatureExtractor plain =
          FeatureExtraction.createFeatureExtractor(
              net,
              ExtractorOptions.builder()
                  .returnNodes(nodes)
                  .optimizations(Optimization.none())
                  .build());
      FeatureExtractor exact = FeatureExtraction.createFeatureExtractor(net, nodes);
      FeatureExtractor folded =
          FeatureExtraction.createFeatureExtractor(
              net,
              ExtractorOptions.builder()
                  .returnNodes(nodes)
                  .optimizations(Optimization.all())
                  .build());
      for (int round = 0; round < 2; round++) {
        Map<String, Tensor> expected = plain.forward(x);
        Map<String, Tensor> same = exact.forward(x);
        Map<String, Tensor> close = folded.forward(x);
        for (String node : nodes) {
          assertThat(torch.equal(same.get(node), expected.get(node))).isTrue();
          double range = expected.get(node).abs().max().item_double();
          double difference = close.get(node).sub(expected.get(node)).abs().max().item_double();
          assertThat(difference).isAtMost(1e-5 * range);
        }
        // Folding rounds differently: the folded extractor did fold.
        assertThat(torch.equal(close.get("5"), expected.get("5"))).isFalse();
        // Node 1, the first batch norm, is requested: its ReLU must not overwrite it.
        assertThat(same.get("1").min().item_double()).isLessThan(0.0);
        assertThat(close.get("1").min().item_double()).isLessThan(0.0);
        perturb(net);
      }
    }
  }
}
