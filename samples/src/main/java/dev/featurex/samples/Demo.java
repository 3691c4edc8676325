package dev.featurex.samples;

import dev.featurex.models.ResNet;
import dev.featurex.models.ResNetFeatureExtractor;
import dev.featurex.models.ResNetFeatures;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.GraphNodeNames;
import dev.featurex.runtime.Natives;
import java.util.Arrays;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The README's demo: ResNet-18 (random weights, seed 0), its graph nodes as torchvision names them,
 * and the typed features the processor generated for {@code @ExtractFeatures} on the zoo's {@link
 * ResNet}, with their shapes and checksums.
 */
public final class Demo {

  private Demo() {}

  /** Runs the demo. */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  public static void main(String[] args) {
    Natives.extract(); // before libtorch loads: a fresh JavaCPP cache would crash it otherwise
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      torch.manual_seed(0);
      ResNet model = ResNet.resnet18();
      model.eval();
      System.out.printf("ResNet-18: %,d parameters%n", parameterCount(model));

      GraphNodeNames names = FeatureExtraction.getGraphNodeNames(model);
      System.out.printf(
          "%d graph nodes (eval), as torchvision names them: %s ... %s%n",
          names.eval().size(),
          names.eval().subList(0, 8),
          names.eval().subList(names.eval().size() - 3, names.eval().size()));

      Tensor images = torch.randn(2, 3, 224, 224);
      ResNetFeatureExtractor extractor = new ResNetFeatureExtractor(model);
      try (ResNetFeatures features = extractor.forward(images)) {
        System.out.println("Typed features of a [2, 3, 224, 224] batch (record ResNetFeatures):");
        for (Map.Entry<String, Tensor> e : features.asMap().entrySet()) {
          Tensor t = e.getValue();
          System.out.printf(
              "  %-7s %-18s sum %12.4f%n",
              e.getKey(), Arrays.toString(t.sizes().vec().get()), t.sum().item().toDouble());
        }
        boolean same = torch.equal(features.logits(), model.forward(images));
        System.out.println("logits equal model.forward(images): " + same);
      }
    }
  }

  static long parameterCount(org.bytedeco.pytorch.Module module) {
    TensorVector parameters = module.parameters();
    long count = 0;
    for (long i = 0; i < parameters.size(); i++) {
      count += parameters.get(i).numel();
    }
    return count;
  }
}
