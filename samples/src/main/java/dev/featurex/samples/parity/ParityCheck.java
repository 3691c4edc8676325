package dev.featurex.samples.parity;

import dev.featurex.models.ResNet;
import dev.featurex.models.ResNetStagesFeatureExtractor;
import dev.featurex.models.ResNetStagesFeatures;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.GraphNodeNames;
import dev.featurex.runtime.StateDict;
import dev.featurex.samples.bench.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Checks the zoo's ResNet-18 and ResNet-50, loaded with torchvision's weights, against what {@code
 * torchvision_export.py} wrote: {@link FeatureExtraction#getGraphNodeNames} must equal
 * torchvision's {@code get_graph_node_names} in both modes, and the features of {@code
 * layer1..layer4} and {@code fc} must be allclose ({@code rtol 1e-5}, {@code atol 1e-4}, torch's
 * rule) to {@code create_feature_extractor}'s, from the generated extractor (ResNet-18) and the
 * run-time one (both). Prints the largest absolute difference of every feature, the smallest {@code
 * atol} that would pass, and both sides' largest difference to the same features computed in
 * float64 by torchvision: when featurex and torchvision are equally far from float64, a difference
 * between them is float32 rounding (kernels that sum in another order), not a difference in the
 * model.
 */
final class ParityCheck {

  static final List<String> RETURN_NODES = List.of("layer1", "layer2", "layer3", "layer4", "fc");
  private static final double RTOL = 1e-5;
  private static final double ATOL = 1e-4;

  private final Path dir;
  private boolean passed = true;

  /** The largest ratio of featurex's distance to float64 over torchvision's, over all features. */
  private double worstRoundingRatio;

  private ParityCheck(Path dir) {
    this.dir = dir;
  }

  /** Runs every check on the files in {@code dir}; true when all pass. */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  static boolean run(Path dir) throws IOException {
    System.out.println("featurex: " + Environment.describe());
    ParityCheck check = new ParityCheck(dir);
    try (NoGradGuard noGrad = new NoGradGuard()) {
      check.model("resnet18", ResNet.resnet18(), true);
      check.model("resnet50", ResNet.resnet50(), false);
    }
    System.out.println(
        check.passed
            ? "parity: PASSED (node names equal; every feature allclose, atol 1e-4)"
            : "parity: FAILED (see above)");
    System.out.printf(
        Locale.ROOT,
        "rounding: featurex's largest distance to float64 is at most %.2fx torchvision's own, over every"
            + " feature (1.00 or less: featurex's float32 result is as exact as torchvision's)%n",
        check.worstRoundingRatio);
    return check.passed;
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  private void model(String name, ResNet model, boolean typed) throws IOException {
    StateDict.load(model, dir.resolve(name + ".pt")); // strict: every key, every shape
    model.eval();
    GraphNodeNames names = FeatureExtraction.getGraphNodeNames(model);
    names(name, "train", names.train());
    names(name, "eval", names.eval());
    try (PointerScope scope = new PointerScope()) {
      Map<String, Tensor> expected = StateDict.read(dir.resolve(name + "_features.pt"));
      Map<String, Tensor> reference = StateDict.read(dir.resolve(name + "_features64.pt"));
      Tensor x = StateDict.read(dir.resolve("input.pt")).get("x");
      if (typed) {
        ResNetStagesFeatures features = new ResNetStagesFeatureExtractor(model).forward(x);
        features(name, "generated", features.asMap(), expected, reference);
      }
      features(
          name,
          "dynamic",
          FeatureExtraction.createFeatureExtractor(model, RETURN_NODES).forward(x),
          expected,
          reference);
    }
  }

  private void names(String model, String mode, List<String> actual) throws IOException {
    List<String> expected = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve(model + "_nodes_" + mode + ".txt"))) {
      if (!line.isEmpty()) {
        expected.add(line);
      }
    }
    if (actual.equals(expected)) {
      System.out.printf(
          Locale.ROOT,
          "%s getGraphNodeNames %-5s equal to torchvision's (%d names)%n",
          model,
          mode,
          actual.size());
      return;
    }
    passed = false;
    int i = 0;
    while (i < actual.size() && i < expected.size() && actual.get(i).equals(expected.get(i))) {
      i++;
    }
    System.out.printf(
        Locale.ROOT,
        "%s getGraphNodeNames %-5s DIFFERS at index %d: featurex %s, torchvision %s (%d vs %d names)%n",
        model,
        mode,
        i,
        i < actual.size() ? "\"" + actual.get(i) + "\"" : "(end)",
        i < expected.size() ? "\"" + expected.get(i) + "\"" : "(end)",
        actual.size(),
        expected.size());
  }

  private void features(
      String model,
      String extractor,
      Map<String, Tensor> actual,
      Map<String, Tensor> expected,
      Map<String, Tensor> reference) {
    for (String key : RETURN_NODES) {
      Tensor a = actual.get(key);
      Tensor b = expected.get(key);
      if (a == null || b == null || !shape(a).equals(shape(b))) {
        passed = false;
        System.out.printf(
            Locale.ROOT,
            "%s %-9s %-6s MISSING or shape differs: featurex %s, torchvision %s%n",
            model,
            extractor,
            key,
            a == null ? "none" : shape(a),
            b == null ? "none" : shape(b));
        continue;
      }
      Tensor diff = a.sub(b).abs();
      double maxDiff = diff.max().item_double();
      double maxValue = b.abs().max().item_double();
      // allclose holds when |a - b| <= atol + rtol |b| everywhere: the atol this feature needs.
      double neededAtol = Math.max(0, diff.sub(b.abs().mul(new Scalar(RTOL))).max().item_double());
      Tensor exact = reference.get(key);
      double ours = a.sub(exact).abs().max().item_double();
      double theirs = b.sub(exact).abs().max().item_double();
      boolean close = torch.allclose(a, b, RTOL, ATOL, false);
      passed &= close;
      if (theirs > 0) {
        worstRoundingRatio = Math.max(worstRoundingRatio, ours / theirs);
      }
      System.out.printf(
          Locale.ROOT,
          "%s %-9s %-6s %-17s max |diff| %.2e (max |value| %.2e, needs atol %.2e): allclose %-3s"
              + " | max |diff| to float64: featurex %.2e, torchvision %.2e%n",
          model,
          extractor,
          key,
          shape(a),
          maxDiff,
          maxValue,
          neededAtol,
          close ? "yes" : "NO",
          ours,
          theirs);
    }
  }

  private static List<Long> shape(Tensor t) {
    List<Long> shape = new ArrayList<>();
    for (long d = 0; d < t.dim(); d++) {
      shape.add(t.size(d));
    }
    return shape;
  }
}
