package dev.featurex.samples.inference;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.featurex.runtime.ExtractorOptions;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.runtime.Optimization;
import dev.featurex.samples.support.Weights;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * Every combination of {@link Optimization}s gives the unoptimized features (bit for bit without
 * folding, within {@code 1e-5} of the value range with it), in typed and run-time extractors,
 * before and after the weights change; values that are requested or read again are never
 * overwritten; training mode and recorded gradients see no optimization at all.
 */
class InferenceOptimizationsTest {

  private static final List<String> REQUESTED =
      List.of("stem.conv", "stem.norm", "block.bn2", "shared.norm", "relu", "head");

  /** Every subset of the optimizations. */
  private static List<Set<Optimization>> combinations() {
    List<Set<Optimization>> sets = new ArrayList<>();
    Optimization[] all = Optimization.values();
    for (int mask = 0; mask < 1 << all.length; mask++) {
      EnumSet<Optimization> set = EnumSet.noneOf(Optimization.class);
      for (int i = 0; i < all.length; i++) {
        if ((mask & 1 << i) != 0) {
          set.add(all[i]);
        }
      }
      sets.add(set);
    }
    return sets;
  }

  private static FeatureExtractor dynamic(InferenceNet model, Set<Optimization> optimizations) {
    return FeatureExtraction.createFeatureExtractor(
        model,
        ExtractorOptions.builder().returnNodes(REQUESTED).optimizations(optimizations).build());
  }

  private static Map<String, Tensor> requested(InferenceNetRequestedFeatures f) {
    Map<String, Tensor> byNode = new LinkedHashMap<>();
    List<Tensor> values = new ArrayList<>(f.asMap().values());
    for (int i = 0; i < REQUESTED.size(); i++) {
      byNode.put(REQUESTED.get(i), values.get(i));
    }
    return byNode;
  }

  /**
   * Equal bit for bit, or, when folding or taking oneDNN's kernel, within 1e-5 of the expected
   * value range.
   */
  private static void assertSame(String what, Tensor actual, Tensor expected, boolean folded) {
    assertWithMessage("%s shape", what)
        .that(actual.sizes().vec().get())
        .isEqualTo(expected.sizes().vec().get());
    if (!folded) {
      assertWithMessage("%s bit for bit", what).that(torch.equal(actual, expected)).isTrue();
      return;
    }
    double range = expected.abs().max().item_double();
    double difference = actual.sub(expected).abs().max().item_double();
    assertWithMessage("%s: max difference %s for a range of %s", what, difference, range)
        .that(difference)
        .isAtMost(1e-5 * range);
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void everyCombinationGivesTheUnoptimizedFeatures() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      torch.manual_seed(5);
      InferenceNet model = new InferenceNet();
      Weights.perturb(model, 11); // running statistics other than 0 and 1
      model.eval();
      Tensor x = torch.randn(3, 3, 4, 4);
      InferenceNetRequestedFeatureExtractor reference =
          new InferenceNetRequestedFeatureExtractor(model, Optimization.none());
      List<Set<Optimization>> combinations = combinations();
      List<InferenceNetHeadFeatureExtractor> heads = new ArrayList<>();
      List<InferenceNetRequestedFeatureExtractor> typed = new ArrayList<>();
      List<FeatureExtractor> dynamic = new ArrayList<>();
      for (Set<Optimization> o : combinations) {
        heads.add(new InferenceNetHeadFeatureExtractor(model, o));
        typed.add(new InferenceNetRequestedFeatureExtractor(model, o));
        dynamic.add(dynamic(model, o));
      }
      // The same extractors before and after new weights: folded weights must follow.
      for (int round = 0; round < 3; round++) {
        Tensor forward = model.forward(x);
        Map<String, Tensor> expected = requested(reference.forward(x));
        assertThat(torch.equal(expected.get("head"), forward)).isTrue();
        for (int c = 0; c < combinations.size(); c++) {
          Set<Optimization> o = combinations.get(c);
          // Folding and oneDNN's kernel round differently; the others are exact.
          boolean folded =
              o.contains(Optimization.FOLD_BATCH_NORM)
                  || o.contains(Optimization.ONEDNN_CONVOLUTION);
          String label = o + ", round " + round;
          assertSame("head " + label, heads.get(c).forward(x).head(), forward, folded);
          Map<String, Tensor> typedOut = requested(typed.get(c).forward(x));
          Map<String, Tensor> dynamicOut = dynamic.get(c).forward(x);
          for (String node : REQUESTED) {
            assertSame(node + " typed " + label, typedOut.get(node), expected.get(node), folded);
            assertSame(
                node + " dynamic " + label, dynamicOut.get(node), expected.get(node), folded);
          }
        }
        Weights.perturb(model, round);
      }
    }
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void valuesRequestedOrReadAgainAreNeverOverwritten() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      torch.manual_seed(6);
      InferenceNet model = new InferenceNet();
      model.eval();
      Tensor x = torch.randn(2, 3, 4, 4);
      var modules = model.named_modules();
      Tensor stemNorm =
          modules
              .get("stem.norm")
              .asBatchNorm2d()
              .forward(modules.get("stem.conv").asConv2d().forward(x));
      for (Map<String, Tensor> out :
          List.of(
              requested(
                  new InferenceNetRequestedFeatureExtractor(model, Optimization.all()).forward(x)),
              dynamic(model, Optimization.all()).forward(x))) {
        // Requested batch norms keep their negative values: the ReLUs after them ran elsewhere.
        assertThat(out.get("stem.norm").min().item_double()).isLessThan(0.0);
        assertThat(out.get("shared.norm").min().item_double()).isLessThan(0.0);
        assertThat(out.get("block.bn2").min().item_double()).isLessThan(0.0);
        assertThat(torch.equal(out.get("stem.norm"), stemNorm)).isTrue(); // its conv not folded
      }
      // In the head-only extractor nothing is requested but the head; shared.norm is read again
      // by the add after the ReLU, so the ReLU must not overwrite it, or the head would differ.
      Tensor expected = model.forward(x);
      Tensor head = new InferenceNetHeadFeatureExtractor(model).forward(x).head();
      assertThat(torch.equal(head, expected)).isTrue();
    }
  }

  /** Copies of every buffer (running statistics), to run two extractors from the same state. */
  private static List<Tensor> buffers(Module model) {
    List<Tensor> copies = new ArrayList<>();
    StringTensorDict buffers = model.named_buffers(true);
    for (long i = 0; i < buffers.size(); i++) {
      copies.add(buffers.get(i).value().clone());
    }
    return copies;
  }

  @SuppressWarnings("try") // a NoGradGuard works by being open, never named
  private static void restore(Module model, List<Tensor> saved) {
    try (NoGradGuard noGrad = new NoGradGuard()) {
      StringTensorDict buffers = model.named_buffers(true);
      for (long i = 0; i < buffers.size(); i++) {
        buffers.get(i).value().copy_(saved.get((int) i));
      }
    }
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void trainingModeAndRecordedGradientsSeeNoOptimization() {
    try (PointerScope scope = new PointerScope()) {
      torch.manual_seed(7);
      InferenceNet model = new InferenceNet();
      Tensor x = torch.randn(4, 3, 4, 4);
      InferenceNetRequestedFeatureExtractor optimized =
          new InferenceNetRequestedFeatureExtractor(model, Optimization.all());
      InferenceNetRequestedFeatureExtractor plain =
          new InferenceNetRequestedFeatureExtractor(model, Optimization.none());
      FeatureExtractor optimizedDynamic = dynamic(model, Optimization.all());
      List<Module> all = List.of(model, optimized, plain, optimizedDynamic);
      // Training mode: batch statistics, running statistics updated, bit for bit the same.
      all.forEach(m -> m.train(true));
      try (NoGradGuard noGrad = new NoGradGuard()) {
        List<Tensor> start = buffers(model);
        Map<String, Tensor> expected = requested(plain.forward(x));
        List<Tensor> after = buffers(model);
        restore(model, start);
        List<Supplier<Map<String, Tensor>>> runs =
            List.of(() -> requested(optimized.forward(x)), () -> optimizedDynamic.forward(x));
        for (Supplier<Map<String, Tensor>> run : runs) {
          Map<String, Tensor> out = run.get();
          List<Tensor> updated = buffers(model);
          for (int i = 0; i < after.size(); i++) {
            assertThat(torch.equal(updated.get(i), after.get(i))).isTrue();
          }
          for (String node : REQUESTED) {
            assertThat(torch.equal(out.get(node), expected.get(node))).isTrue();
          }
          restore(model, start);
        }
      }
      // Eval mode with gradients recorded: the features keep their autograd history, exactly.
      all.forEach(Module::eval);
      Map<String, Tensor> withGrad = requested(plain.forward(x));
      for (Map<String, Tensor> out :
          List.of(requested(optimized.forward(x)), optimizedDynamic.forward(x))) {
        for (String node : REQUESTED) {
          assertThat(out.get(node).requires_grad()).isTrue();
          assertThat(torch.equal(out.get(node), withGrad.get(node))).isTrue();
        }
      }
    }
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void aBatchNormInTrainingModeOrAReplacedWeightIsNotFoldedStale() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      torch.manual_seed(8);
      InferenceNet model = new InferenceNet();
      Weights.perturb(model, 2);
      model.eval();
      Tensor x = torch.randn(2, 3, 4, 4);
      InferenceNetHeadFeatureExtractor optimized =
          new InferenceNetHeadFeatureExtractor(model, Optimization.all());
      FeatureExtractor dynamic =
          FeatureExtraction.createFeatureExtractor(
              model,
              ExtractorOptions.builder()
                  .returnNodes(List.of("head"))
                  .optimizations(Optimization.all())
                  .build());
      assertSame("head", optimized.forward(x).head(), model.forward(x), true);
      // Another tensor in place of a convolution's weight, as C++ code or a setter would put it.
      var conv = model.named_modules().get("stem.conv").asConv2d();
      conv.weight(conv.weight().mul(new org.bytedeco.pytorch.Scalar(-2.0)));
      Tensor expected = model.forward(x);
      assertSame("head after a replaced weight", optimized.forward(x).head(), expected, true);
      assertSame("dynamic head", dynamic.forward(x).get("head"), expected, true);
      // One batch norm in training mode inside an eval model: it must run unfolded.
      var norm = model.named_modules().get("block.bn2");
      norm.train(true);
      List<Tensor> start = buffers(model);
      Tensor trained = model.forward(x);
      restore(model, start);
      assertSame("head, bn2 training", optimized.forward(x).head(), trained, true);
      restore(model, start);
      assertSame("dynamic head, bn2 training", dynamic.forward(x).get("head"), trained, true);
      norm.train(false);
      // A forward of the whole model in training mode moves the running statistics (without
      // moving their version counters): folds made before must be made again.
      assertSame("head before training", optimized.forward(x).head(), model.forward(x), true);
      assertSame("dynamic before training", dynamic.forward(x).get("head"), model.forward(x), true);
      model.train(true);
      model.forward(torch.randn(4, 3, 4, 4).mul(new org.bytedeco.pytorch.Scalar(3.0)));
      model.eval();
      Tensor afterTraining = model.forward(x);
      assertSame("head after training", optimized.forward(x).head(), afterTraining, true);
      assertSame("dynamic after training", dynamic.forward(x).get("head"), afterTraining, true);
    }
  }
}
