package dev.featurex.samples.other;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.runtime.execute.NodeExecutionException;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** A guard clause on traced sizes becomes a run-time check in both extractors. */
class GuardedNetTest {

  @Test
  void guardIsANodeThatRunsBeforeWhatFollowsIt() {
    assertThat(FeatureExtraction.getGraphNodeNames(new GuardedNet()).eval())
        .containsExactly("x", "size", "ne", "_assert", "fc")
        .inOrder();
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void rightInputPassesAndWrongInputIsRefusedWithTheModelsMessage() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      GuardedNet model = new GuardedNet();
      GuardedNetFeatureExtractor typed = new GuardedNetFeatureExtractor(model);
      FeatureExtractor dynamic = FeatureExtraction.createFeatureExtractor(model, List.of("fc"));
      Tensor good = torch.randn(3, 4);
      try (GuardedNetFeatures f = typed.forward(good)) {
        assertThat(torch.equal(f.out(), model.forward(good))).isTrue();
      }
      assertThat(torch.equal(dynamic.forward(good).get("fc"), model.forward(good))).isTrue();

      Tensor bad = torch.randn(3, 5);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> typed.forward(bad));
      assertThat(e).hasMessageThat().isEqualTo("expected 4 features, got 5");
      NodeExecutionException n =
          assertThrows(NodeExecutionException.class, () -> dynamic.forward(bad));
      assertThat(n.node()).isEqualTo("_assert");
      assertThat(n).hasCauseThat().hasMessageThat().isEqualTo("expected 4 features, got 5");
    }
  }

  @Test
  void eachConditionOfAnOrIsAGuardInOrder() {
    assertThat(FeatureExtraction.getGraphNodeNames(new EitherGuardedNet()).eval())
        .containsExactly(
            "x",
            "dim",
            "ne",
            "dim_1",
            "size",
            "_assert",
            "size_1",
            "ne_1",
            "dim_2",
            "size_2",
            "_assert_1",
            "fc")
        .inOrder();
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Test
  void eitherConditionRefusesTheInput() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      EitherGuardedNet model = new EitherGuardedNet();
      EitherGuardedNetFeatureExtractor typed = new EitherGuardedNetFeatureExtractor(model);
      Tensor good = torch.randn(3, 4);
      try (EitherGuardedNetFeatures f = typed.forward(good)) {
        assertThat(torch.equal(f.out(), model.forward(good))).isTrue();
      }
      IllegalArgumentException rank =
          assertThrows(IllegalArgumentException.class, () -> typed.forward(torch.randn(2, 3, 4)));
      assertThat(rank).hasMessageThat().isEqualTo("expected [N, 4], got rank 3 and width 4");
      IllegalArgumentException width =
          assertThrows(IllegalArgumentException.class, () -> typed.forward(torch.randn(3, 5)));
      assertThat(width).hasMessageThat().isEqualTo("expected [N, 4], got rank 2 and width 5");
    }
  }
}
