package dev.featurex.models.ops;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.runtime.StateDict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** torchvision's ops modules that no traced family of the zoo uses yet behave as torchvision's. */
class OpsTest {

  @Test
  void mlpLaysOutItsLayersAsTorchvisionsSequential() {
    // torchvision.ops.MLP(8, [16, 4]): Linear(0), activation(1), Dropout(2), Linear(3), Dropout(4).
    try (PointerScope scope = new PointerScope()) {
      MLP mlp = new MLP(8, new long[] {16, 4}, Activation.GELU, true, 0.0);
      List<String> keys = new ArrayList<>(StateDict.of(mlp).keySet());
      assertThat(keys).containsExactly("0.weight", "0.bias", "3.weight", "3.bias").inOrder();
      List<String> children = new ArrayList<>();
      var names = mlp.named_children().keys();
      for (long i = 0; i < names.size(); i++) {
        children.add(names.get(i).getString());
      }
      assertThat(children).containsExactly("0", "1", "2", "3", "4").inOrder();
    }
  }

  @Test
  void mlpComputesLinearActivationLinear() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      MLP mlp = new MLP(8, new long[] {16, 4}, Activation.RELU, false, 0.0);
      mlp.eval();
      Map<String, Tensor> p = StateDict.of(mlp);
      Tensor x = torch.randn(2, 8);
      Tensor expected = torch.relu(x.matmul(p.get("0.weight").t())).matmul(p.get("3.weight").t());
      assertThat(torch.allclose(mlp.forward(x), expected, 1e-5, 1e-6, false)).isTrue();
    }
  }

  @Test
  void mlpNeedsALayer() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new MLP(8, new long[0], Activation.RELU, true, 0.0));
    assertThat(e).hasMessageThat().contains("hiddenChannels is empty");
  }

  @Test
  void permuteIsTorchPermute() {
    try (PointerScope scope = new PointerScope()) {
      Tensor x = torch.randn(2, 3, 4, 5);
      Tensor y = new Permute(0, 2, 3, 1).forward(x);
      assertThat(y.sizes().vec().get()).isEqualTo(new long[] {2, 4, 5, 3});
      assertThat(torch.equal(y, x.permute(0, 2, 3, 1))).isTrue();
    }
  }

  @Test
  void stochasticDepthIsTheIdentityInEvalAndDropsRowsInTraining() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      StochasticDepth depth = new StochasticDepth(0.5, "row");
      Tensor x = torch.ones(64, 3);
      depth.eval();
      assertThat(torch.equal(depth.forward(x), x)).isTrue();
      depth.train(true);
      torch.manual_seed(0);
      Tensor y = depth.forward(x);
      // Each row is dropped (0) or kept and scaled by 1 / (1 - p) = 2, as a whole.
      Tensor rows = y.select(1, 0);
      assertThat(torch.equal(y, rows.unsqueeze(1).expand(64, 3))).isTrue();
      long kept = rows.eq(new org.bytedeco.pytorch.Scalar(2.0)).sum().item().toLong();
      long dropped = rows.eq(new org.bytedeco.pytorch.Scalar(0.0)).sum().item().toLong();
      assertThat(kept + dropped).isEqualTo(64);
      assertThat(kept).isGreaterThan(0L);
      assertThat(dropped).isGreaterThan(0L);
    }
  }

  @Test
  void stochasticDepthRejectsBadArguments() {
    assertThat(assertThrows(IllegalArgumentException.class, () -> new StochasticDepth(1.5, "row")))
        .hasMessageThat()
        .contains("between 0 and 1, but got 1.5");
    assertThat(assertThrows(IllegalArgumentException.class, () -> new StochasticDepth(0.1, "col")))
        .hasMessageThat()
        .contains("either 'batch' or 'row'");
  }
}
