package dev.featurex.runtime.internal;

import static com.google.common.truth.Truth.assertThat;

import dev.featurex.runtime.Optimization;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.kReflect;
import org.junit.jupiter.api.Test;

/**
 * oneDNN's kernel gives the module's convolution up to float32 rounding, reads the module's current
 * weights, and is never taken where it may not run.
 */
class OneDnnConvolutionsTest {

  // Kept reachable: JavaCPP frees a module nothing refers to.
  private static final Conv2dImpl POINTWISE = conv(64, 32, 1, 1, 0, true);
  private static final Conv2dImpl STRIDED = conv(16, 24, 3, 2, 1, false);
  private static final Conv2dImpl REFLECT = reflect();
  private static final BatchNorm2dImpl NORM = norm();

  private static BatchNorm2dImpl norm() {
    BatchNorm2dImpl norm = new BatchNorm2dImpl(new BatchNormOptions(32));
    norm.running_mean().fill_(new Scalar(0.25));
    norm.running_var().fill_(new Scalar(2.0));
    norm.eval();
    return norm;
  }

  private static Conv2dImpl conv(
      long in, long out, long kernel, long stride, long padding, boolean bias) {
    Conv2dOptions options = new Conv2dOptions(in, out, new LongPointer(kernel, kernel));
    options.stride().put(new long[] {stride, stride});
    options.padding().put(new LongPointer(padding, padding));
    options.bias().put(bias);
    return new Conv2dImpl(options);
  }

  private static Conv2dImpl reflect() {
    Conv2dOptions options = new Conv2dOptions(8, 8, new LongPointer(3L, 3L));
    options.padding().put(new LongPointer(1L, 1L));
    options.padding_mode().put(new kReflect());
    return new Conv2dImpl(options);
  }

  private static OneDnnConvolutions convolutions(Set<Optimization> optimizations) {
    return new OneDnnConvolutions(
        Optimizations.of(optimizations), new Conv2dImpl[] {POINTWISE, STRIDED, REFLECT});
  }

  /** Within 1e-5 of the expected tensor's value range. */
  private static void assertClose(Tensor actual, Tensor expected) {
    assertThat(actual.sizes().vec().get()).isEqualTo(expected.sizes().vec().get());
    double range = expected.abs().max().item_float();
    double difference = actual.sub(expected).abs().max().item_float();
    assertThat(difference).isAtMost(1e-5 * range);
  }

  @SuppressWarnings("try") // a NoGradGuard works by being open, never named
  @Test
  void oneDnnsKernelGivesTheModulesConvolution() {
    try (NoGradGuard noGrad = new NoGradGuard()) {
      Tensor pointwiseInput = torch.randn(1, 64, 14, 14);
      ConvolutionGeometry pointwise = ConvolutionGeometry.of(POINTWISE);
      assertClose(
          pointwise.oneDnn(pointwiseInput, POINTWISE.weight(), POINTWISE.bias()),
          POINTWISE.forward(pointwiseInput));
      Tensor stridedInput = torch.randn(2, 16, 15, 15);
      ConvolutionGeometry strided = ConvolutionGeometry.of(STRIDED);
      assertClose(
          strided.oneDnn(stridedInput, STRIDED.weight(), STRIDED.bias()),
          STRIDED.forward(stridedInput));
    }
  }

  @SuppressWarnings("try") // a NoGradGuard works by being open, never named
  @Test
  void eitherKernelFollowsTheModulesWeightsAndTheDecisionIsKeptPerShape() {
    try (NoGradGuard noGrad = new NoGradGuard()) {
      OneDnnConvolutions convolutions = convolutions(Optimization.all());
      Tensor x = torch.randn(1, 64, 14, 14);
      assertClose(convolutions.forward(0, x), POINTWISE.forward(x));
      assertThat(convolutions.decisions(0)).containsKey(List.of(1L, 64L, 14L, 14L));
      Tensor weight = POINTWISE.weight();
      Tensor saved = weight.clone();
      try {
        weight.mul_(new Scalar(-2.0)); // a graph that kept old weights would now be wrong
        Tensor expected = POINTWISE.forward(x);
        assertClose(convolutions.forward(0, x), expected);
        assertClose(
            ConvolutionGeometry.of(POINTWISE).oneDnn(x, weight, POINTWISE.bias()), expected);
      } finally {
        weight.copy_(saved);
      }
      Tensor y = torch.randn(3, 16, 9, 9);
      assertClose(convolutions.forward(1, y), STRIDED.forward(y));
      assertThat(convolutions.decisions(1)).containsKey(List.of(3L, 16L, 9L, 9L));
    }
  }

  @SuppressWarnings("try") // a NoGradGuard works by being open, never named
  @Test
  void otherInputsModulesAndTheOptionOffRunAsTheModuleRunsThem() {
    try (NoGradGuard noGrad = new NoGradGuard()) {
      Tensor x = torch.randn(1, 64, 8, 8);
      assertThat(
              torch.equal(
                  convolutions(Optimization.defaults()).forward(0, x), POINTWISE.forward(x)))
          .isTrue();
      OneDnnConvolutions on = convolutions(Optimization.all());
      Tensor channelsLast = x.contiguous(torch.MemoryFormat.ChannelsLast);
      assertThat(torch.equal(on.forward(0, channelsLast), POINTWISE.forward(channelsLast)))
          .isTrue();
      assertThat(on.decisions(0)).isEmpty();
      Tensor reflected = torch.randn(1, 8, 6, 6);
      assertThat(ConvolutionGeometry.of(REFLECT)).isNull();
      assertThat(torch.equal(on.forward(2, reflected), REFLECT.forward(reflected))).isTrue();
      assertThat(on.decisions(2)).isEmpty();
    }
  }

  @SuppressWarnings("try") // a NoGradGuard works by being open, never named
  @Test
  void aFoldedConvolutionTakesTheKernelDecidedForItsShape() {
    try (NoGradGuard noGrad = new NoGradGuard()) {
      FoldedConvolution folded =
          FoldedConvolution.make(POINTWISE, NORM, FoldedConvolution.sources(POINTWISE, NORM));
      assertThat(folded.foldable()).isTrue();
      Tensor x = torch.randn(1, 64, 7, 7);
      Tensor libtorch = folded.forward(x);
      assertClose(libtorch, NORM.forward(POINTWISE.forward(x)));
      Map<List<Long>, Faster.Decision> decisions = new HashMap<>();
      decisions.put(List.of(1L, 64L, 7L, 7L), Faster.Decision.settled(true));
      assertClose(folded.forward(x, decisions), libtorch);
      decisions.put(List.of(1L, 64L, 7L, 7L), Faster.Decision.settled(false));
      assertThat(torch.equal(folded.forward(x, decisions), libtorch)).isTrue();
    }
  }
}
