package dev.featurex.runtime;

import static com.google.common.truth.Truth.assertThat;
import static dev.featurex.runtime.KeepAlive.keep;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.runtime.execute.NodeExecutionException;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * Bad inputs at run time end in an exception that names the problem (the node, the input), never in
 * a crash, and leave the extractor usable.
 */
class BadInputsTest {

  private static SequentialImpl model() {
    SequentialImpl model = new SequentialImpl();
    model.push_back(keep(new LinearImpl(4, 3)));
    model.push_back(keep(new ReLUImpl()));
    return keep(model);
  }

  @Test
  void aWrongShapeNamesTheNodeThatFailedAndTheExtractorGoesOn() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      FeatureExtractor extractor = FeatureExtraction.createFeatureExtractor(model(), List.of("1"));
      NodeExecutionException e =
          assertThrows(NodeExecutionException.class, () -> extractor.forward(torch.randn(2, 5)));
      assertThat(e.node()).isEqualTo("0");
      assertThat(e).hasMessageThat().startsWith("node \"0\" (call_module 0) failed:");
      assertThat(extractor.forward(torch.randn(2, 4)).get("1").size(1)).isEqualTo(3);
    }
  }

  @Test
  void aWrongDtypeNamesTheNode() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      FeatureExtractor extractor = FeatureExtraction.createFeatureExtractor(model(), List.of("1"));
      Tensor ints = torch.randint(5L, new long[] {2, 4});
      NodeExecutionException e =
          assertThrows(NodeExecutionException.class, () -> extractor.forward(ints));
      assertThat(e.node()).isEqualTo("0");
    }
  }

  @Test
  void aFreedOrUndefinedInputIsRefusedBeforeAnythingRuns() {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      FeatureExtractor extractor = FeatureExtraction.createFeatureExtractor(model(), List.of("1"));
      Tensor x = torch.randn(2, 4);
      x.close();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> extractor.forward(x));
      assertThat(e).hasMessageThat().isEqualTo("input 0 (x) is null");
      assertThrows(IllegalArgumentException.class, () -> extractor.forward((Tensor) null));
      assertThrows(IllegalArgumentException.class, () -> extractor.forward());
      IllegalArgumentException undefined =
          assertThrows(IllegalArgumentException.class, () -> extractor.forward(new Tensor()));
      assertThat(undefined)
          .hasMessageThat()
          .isEqualTo(
              "input 0 (x) is an undefined tensor (new Tensor() holds no data); pass a tensor with"
                  + " values");
    }
  }

  @Test
  void aFreedModelIsRefused() {
    SequentialImpl model = model();
    SequentialImpl freed = new SequentialImpl(model);
    freed.setNull();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FeatureExtraction.createFeatureExtractor(freed, Map.of("1", "a")));
    assertThat(e).hasMessageThat().contains("model has been freed");
  }

  @Test
  void aRequestThatWouldBacktrackForEverIsRefusedQuickly() {
    SequentialImpl model = new SequentialImpl();
    for (int i = 0; i < 3; i++) {
      model.push_back("a".repeat(40) + i, keep(new ReLUImpl()));
    }
    keep(model);
    long start = System.nanoTime();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FeatureExtraction.createFeatureExtractor(model, List.of("(.*a){20}b")));
    assertThat(e).hasMessageThat().contains("escape its special characters");
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(10.0);
  }
}
