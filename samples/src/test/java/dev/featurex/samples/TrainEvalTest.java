package dev.featurex.samples;

import static com.google.common.truth.Truth.assertThat;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** torchvision's {@code test_train_eval}, on the generated typed extractor. */
class TrainEvalTest {

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  private static void check(TrainEvalModelFeatureExtractor extractor, boolean training) {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard();
        TrainEvalModelFeatures out = extractor.forward(torch.ones(10, 10))) {
      if (training) {
        assertThat(out.dropout().item().toFloat()).isEqualTo(0f); // dropout with p = 1 is respected
        assertThat(out.branch().item().toFloat()).isEqualTo(100f); // the add branch ran
        assertThat(out.sub().item().toFloat()).isEqualTo(100f);
      } else {
        assertThat(out.dropout().item().toFloat()).isEqualTo(1f);
        assertThat(out.branch().item().toFloat()).isEqualTo(0f); // the mul branch ran
        assertThat(out.sub().item().toFloat()).isEqualTo(0f);
      }
    }
  }

  @Test
  void startingFromTrainThenSwitchingToEval() {
    TrainEvalModel model = new TrainEvalModel();
    model.train(true);
    TrainEvalModelFeatureExtractor extractor = new TrainEvalModelFeatureExtractor(model);
    assertThat(model.is_training()).isTrue();
    assertThat(extractor.is_training()).isTrue();
    check(extractor, true);
    extractor.eval();
    check(extractor, false);
    extractor.train(true);
    check(extractor, true);
  }

  @Test
  void startingFromEvalThenSwitchingToTrain() {
    TrainEvalModel model = new TrainEvalModel();
    model.eval();
    TrainEvalModelFeatureExtractor extractor = new TrainEvalModelFeatureExtractor(model);
    assertThat(model.is_training()).isFalse();
    assertThat(extractor.is_training()).isFalse();
    check(extractor, false);
    extractor.train(true);
    check(extractor, true);
    extractor.eval();
    check(extractor, false);
  }
}
