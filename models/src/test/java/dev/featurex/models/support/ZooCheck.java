package dev.featurex.models.support;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.featurex.runtime.ExtractorOptions;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.runtime.GraphNodeNames;
import dev.featurex.runtime.StateDict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The checks every zoo model passes against torchvision 0.14.1's {@link Reference}: node names in
 * both modes, parameter count, state dict keys and shapes, and extractors that compute what {@code
 * forward} computes, before and after every parameter is perturbed in place.
 *
 * @param <M> the model's class
 */
public final class ZooCheck<M extends Module> {

  private static final long NOISE_LENGTH = 1_000_003;

  private final String name;
  private final Supplier<M> builder;
  private final BiFunction<M, Tensor, Tensor> forward;
  private long imageSize = 64;
  private List<String> expectedTrain;
  private List<String> expectedEval;

  private ZooCheck(String name, Supplier<M> builder, BiFunction<M, Tensor, Tensor> forward) {
    this.name = name;
    this.builder = builder;
    this.forward = forward;
    Reference reference = Reference.of(name);
    this.expectedTrain = reference.train();
    this.expectedEval = reference.eval();
  }

  /**
   * Checks for torchvision's model {@code name}, built by {@code builder}, whose logits {@code
   * forward} computes.
   */
  public static <M extends Module> ZooCheck<M> of(
      String name, Supplier<M> builder, BiFunction<M, Tensor, Tensor> forward) {
    return new ZooCheck<>(name, builder, forward);
  }

  /** Images of {@code size x size} pixels for the extractor checks (default 64). */
  public ZooCheck<M> imageSize(long size) {
    this.imageSize = size;
    return this;
  }

  /**
   * The node names expected instead of torchvision's, for a model torchvision 0.14 cannot trace;
   * the test that calls this argues them from torchvision's rules.
   */
  public ZooCheck<M> expectedNames(List<String> train, List<String> eval) {
    this.expectedTrain = List.copyOf(train);
    this.expectedEval = List.copyOf(eval);
    return this;
  }

  /**
   * Builds the model once and checks it: node names in both modes, parameter count, state dict keys
   * and shapes equal torchvision's; then, in eval mode, an extractor of {@code nodes} (the last one
   * the model's output) returns {@code forward}'s logits for its last node and, for each other
   * node, what an extractor of that node alone returns; and so again after every parameter is
   * perturbed in place, which must change every output.
   */
  public void check(String... nodes) {
    Reference reference = Reference.of(name);
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      torch.manual_seed(12);
      M model = builder.get();
      GraphNodeNames names =
          FeatureExtraction.getGraphNodeNames(
              model, ExtractorOptions.builder().suppressDiffWarning(true).build());
      assertWithMessage("%s: train node names", name)
          .that(names.train())
          .containsExactlyElementsIn(expectedTrain)
          .inOrder();
      assertWithMessage("%s: eval node names", name)
          .that(names.eval())
          .containsExactlyElementsIn(expectedEval)
          .inOrder();
      assertWithMessage("%s: parameters", name)
          .that(parameterCount(model))
          .isEqualTo(reference.parameters());
      Map<String, List<Long>> shapes = new LinkedHashMap<>();
      StateDict.of(model).forEach((key, tensor) -> shapes.put(key, shape(tensor)));
      assertWithMessage("%s: state dict keys and shapes", name)
          .that(shapes)
          .containsExactlyEntriesIn(reference.stateDict())
          .inOrder();
      extractorEqualsForward(model, nodes);
    }
  }

  private void extractorEqualsForward(M model, String[] nodes) {
    model.eval();
    Tensor x = torch.randn(1, 3, imageSize, imageSize);
    FeatureExtractor extractor = FeatureExtraction.createFeatureExtractor(model, List.of(nodes));
    List<FeatureExtractor> single = new ArrayList<>();
    for (int i = 0; i < nodes.length - 1; i++) {
      single.add(FeatureExtraction.createFeatureExtractor(model, List.of(nodes[i])));
    }
    Map<String, Tensor> before = compare(model, extractor, single, x, nodes, "");
    perturb(model);
    Map<String, Tensor> after = compare(model, extractor, single, x, nodes, " (perturbed)");
    for (String node : nodes) {
      assertWithMessage("%s: \"%s\" changes with the parameters", name, node)
          .that(torch.equal(before.get(node), after.get(node)))
          .isFalse();
    }
  }

  private Map<String, Tensor> compare(
      M model,
      FeatureExtractor extractor,
      List<FeatureExtractor> single,
      Tensor x,
      String[] nodes,
      String when) {
    Map<String, Tensor> out = extractor.forward(x);
    assertWithMessage("%s: extractor keys%s", name, when)
        .that(List.copyOf(out.keySet()))
        .containsExactlyElementsIn(List.of(nodes))
        .inOrder();
    Tensor logits = forward.apply(model, x);
    String last = nodes[nodes.length - 1];
    assertWithMessage("%s: extractor's \"%s\" equals forward%s", name, last, when)
        .that(torch.equal(out.get(last), logits))
        .isTrue();
    for (int i = 0; i < single.size(); i++) {
      Tensor alone = single.get(i).forward(x).get(nodes[i]);
      assertWithMessage("%s: \"%s\" equals its own extractor's%s", name, nodes[i], when)
          .that(torch.equal(out.get(nodes[i]), alone))
          .isTrue();
    }
    Map<String, Tensor> copies = new LinkedHashMap<>();
    out.forEach((key, tensor) -> copies.put(key, tensor.clone()));
    return copies;
  }

  /**
   * Adds noise to every parameter in place (the extractor shares them with the model). libtorch's
   * random generator makes a few tens of millions of numbers a second on this kind of machine, too
   * slow for VGG's 140 million parameters: one random vector of a prime length is added, chunk by
   * chunk, to each parameter's elements.
   */
  private static void perturb(Module model) {
    Tensor noise = torch.randn(NOISE_LENGTH).mul_(new Scalar(0.05));
    TensorVector parameters = model.parameters();
    for (long i = 0; i < parameters.size(); i++) {
      Tensor flat = parameters.get(i).view(-1);
      long n = flat.numel();
      for (long at = 0; at < n; at += NOISE_LENGTH) {
        long length = Math.min(NOISE_LENGTH, n - at);
        flat.narrow(0, at, length).add_(noise.narrow(0, 0, length));
      }
    }
  }

  private static long parameterCount(Module model) {
    TensorVector parameters = model.parameters();
    long count = 0;
    for (long i = 0; i < parameters.size(); i++) {
      count += parameters.get(i).numel();
    }
    return count;
  }

  private static List<Long> shape(Tensor tensor) {
    List<Long> shape = new ArrayList<>();
    for (long d : tensor.sizes().vec().get()) {
      shape.add(d);
    }
    return shape;
  }
}
