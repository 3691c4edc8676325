package com.example.vision;

import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.Natives;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/** Uses the generated record and extractor, and checks them against the model's own forward. */
public final class Main {

  private Main() {}

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  public static void main(String[] args) {
    Natives.extract(); // first, before anything loads libtorch (see featurex's README)
    TinyCnn model = new TinyCnn();
    model.eval();
    List<String> names = FeatureExtraction.getGraphNodeNames(model).eval();
    check(names.equals(List.of("x", "conv1", "relu", "mean", "fc")), "node names " + names);
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      Tensor images = torch.randn(2, 3, 16, 16);
      TinyCnnFeatureExtractor extractor = new TinyCnnFeatureExtractor(model);
      compare(model, extractor, images);
      // The extractor shares the model's modules: new weights show in both.
      TensorVector parameters = model.parameters();
      for (long i = 0; i < parameters.size(); i++) {
        parameters.get(i).add_(torch.randn_like(parameters.get(i)));
      }
      compare(model, extractor, images);
    }
    System.out.println("featurex consumer: typed features equal TinyCnn's own computation");
  }

  private static void compare(TinyCnn model, TinyCnnFeatureExtractor extractor, Tensor images) {
    try (TinyCnnFeatures features = extractor.forward(images)) {
      Tensor conv1 = model.named_modules().get("conv1").asConv2d().forward(images);
      check(torch.equal(features.conv1(), conv1), "conv1 differs");
      check(torch.equal(features.hidden(), torch.relu(conv1)), "hidden differs");
      check(torch.equal(features.logits(), model.forward(images)), "logits differ");
      List<String> keys = List.copyOf(features.asMap().keySet());
      check(keys.equals(List.of("conv1", "hidden", "logits")), "keys " + keys);
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("featurex consumer: " + what);
    }
  }
}
