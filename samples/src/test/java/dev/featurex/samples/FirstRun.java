package dev.featurex.samples;

import dev.featurex.models.ResNet;
import dev.featurex.models.ResNetFeatureExtractor;
import dev.featurex.models.ResNetFeatures;
import dev.featurex.runtime.Natives;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The README's first program, run by {@link FirstRunTest} in fresh JVMs on empty JavaCPP caches:
 * {@link Natives#extract()} first, then a model, its typed features and a check against {@code
 * forward}. Prints {@link #EXTRACTED} on standard error once the natives are in the cache, and
 * {@link #DONE} when the features are right; any other outcome exits non-zero.
 */
public final class FirstRun {

  /** Printed on standard error after {@link Natives#extract()} returned. */
  static final String EXTRACTED = "first run: natives extracted";

  /** Printed on standard output when the features equal the model's own computation. */
  static final String DONE = "first run: logits equal model.forward";

  private FirstRun() {}

  /** Runs the program. */
  @SuppressWarnings("try") // a PointerScope works by being open, never named
  public static void main(String[] args) {
    Natives.extract(); // before anything loads libtorch: see Natives
    System.err.println(EXTRACTED);
    ResNet model = ResNet.resnet18();
    model.eval();
    try (PointerScope scope = new PointerScope()) {
      Tensor images = torch.randn(1, 3, 64, 64);
      try (ResNetFeatures features = new ResNetFeatureExtractor(model).forward(images)) {
        if (!torch.equal(features.logits(), model.forward(images))) {
          throw new AssertionError("the extractor's logits differ from model.forward");
        }
      }
    }
    System.out.println(DONE);
  }
}
