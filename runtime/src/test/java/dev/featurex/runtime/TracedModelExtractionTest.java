package dev.featurex.runtime;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.runtime.execute.NodeExecutionException;
import dev.featurex.runtime.execute.TracedModels;
import dev.featurex.runtime.fixture.TinyNet;
import dev.featurex.runtime.fixture.TinyNet_FeatureGraph;
import dev.featurex.runtime.internal.TracedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** A Java model with a (hand-written) generated graph: lookup, matching, extraction. */
class TracedModelExtractionTest {

  private static final String EVAL_SUBSEQUENCE =
      "dev.featurex.runtime.fixture.TinyNet: NOTE: The nodes obtained by tracing the model in eval mode are a subsequence of those"
          + " obtained in train mode. When choosing nodes for feature extraction, you may need to"
          + " specify output nodes for train and eval mode separately.";

  private static Map<String, String> map(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  void generatedClassIsFoundByNameAndCachedPerClass() {
    assertThat(TracedModel.generatedClassName(TinyNet.class))
        .isEqualTo("dev.featurex.runtime.fixture.TinyNet_FeatureGraph");
    assertThat(TracedModel.generatedClassName(TinyNet.Block.class))
        .isEqualTo("dev.featurex.runtime.fixture.TinyNet_Block_FeatureGraph");
    TracedModel found = TracedModels.find(TinyNet.class).orElseThrow();
    assertThat(found).isInstanceOf(TinyNet_FeatureGraph.class);
    assertThat(TracedModels.find(TinyNet.class).orElseThrow()).isSameInstanceAs(found);
    assertThat(TracedModels.find(TinyNet.Block.class)).isEmpty();
  }

  @Test
  void nodeNamesComeFromTheMatchingConfigurationAndDifferencesAreLogged() {
    try (LogCapture log = new LogCapture()) {
      GraphNodeNames small = FeatureExtraction.getGraphNodeNames(TinyNet.small());
      assertThat(small.train())
          .containsExactly("x", "stem", "block.fc", "block.relu", "drop", "head", "neg", "add")
          .inOrder();
      assertThat(small.eval())
          .containsExactly("x", "stem", "block.fc", "block.relu", "head", "neg", "add")
          .inOrder();
      assertThat(log.warnings()).containsExactly(EVAL_SUBSEQUENCE);

      GraphNodeNames deep =
          FeatureExtraction.getGraphNodeNames(
              TinyNet.deep(), ExtractorOptions.builder().suppressDiffWarning(true).build());
      assertThat(deep.eval()).contains("extra");
      assertThat(log.warnings()).hasSize(1);
    }
  }

  @Test
  void anInstanceMatchingNoConfigurationIsRejectedWithTheFirstDifference() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FeatureExtraction.getGraphNodeNames(new TinyNet(false, true)));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "the module tree of this dev.featurex.runtime.fixture.TinyNet matches none of its"
                + " traced configurations (small(), deep()); closest is small(), whose"
                + " named_modules() entry 2 is \"block Module\" where this instance has \"act"
                + " torch::nn::ReLUImpl\". Build the model with a traced factory, or name its"
                + " factory in @Traceable(factories = ...) and recompile.");
  }

  @SuppressWarnings("try") // a PointerScope works by being open, never named
  @Test
  void extractedFeaturesEqualTheModelsOwnComputation() {
    TinyNet model = TinyNet.small();
    model.eval();
    try (LogCapture log = new LogCapture()) {
      FeatureExtractor extractor =
          FeatureExtraction.createFeatureExtractor(
              model, map("head", "logits", "block", "feat", "add", "out"));
      assertThat(log.warnings()).containsExactly(EVAL_SUBSEQUENCE);
      assertThat(extractor.returnNodes(false))
          .containsExactly("feat", "block.relu", "logits", "head", "out", "add")
          .inOrder();

      try (PointerScope scope = new PointerScope()) {
        Tensor x = torch.randn(2, TinyNet.WIDTH);
        Map<String, Tensor> out = extractor.forward(x);
        assertThat(out.keySet()).containsExactly("feat", "logits", "out").inOrder();
        var modules = model.named_modules();
        Tensor feat =
            modules
                .get("block.relu")
                .asReLU()
                .forward(
                    modules
                        .get("block.fc")
                        .asLinear()
                        .forward(modules.get("stem").asLinear().forward(x)));
        Tensor logits = modules.get("head").asLinear().forward(feat);
        assertThat(torch.equal(out.get("feat"), feat)).isTrue();
        assertThat(torch.equal(out.get("logits"), logits)).isTrue();
        assertThat(torch.equal(out.get("out"), model.forward(x))).isTrue();
      }
    }
  }

  @SuppressWarnings("try") // a PointerScope works by being open, never named
  @Test
  void onlyTheNodesTheRequestNeedsAreComputed() {
    TinyNet model = TinyNet.deep();
    model.eval();
    FeatureExtractor extractor =
        FeatureExtraction.createFeatureExtractor(
            model,
            ExtractorOptions.builder()
                .returnNodes(List.of("head"))
                .suppressDiffWarning(true)
                .build());
    List<String> computed = new ArrayList<>();
    TinyNet_FeatureGraph.RECORDER.set(computed);
    try (PointerScope scope = new PointerScope()) {
      extractor.forward(torch.randn(1, TinyNet.WIDTH));
    } finally {
      TinyNet_FeatureGraph.RECORDER.remove();
    }
    // Not "neg" (an unused branch), nor "add" and "extra" (after the last requested node).
    assertThat(computed).containsExactly("stem", "block.fc", "block.relu", "head").inOrder();
    assertThat(extractor.computedNodes(false)).isEqualTo(computed);
    assertThat(extractor.computedNodes(true))
        .containsExactly("stem", "block.fc", "block.relu", "drop", "head")
        .inOrder();
  }

  @SuppressWarnings("try") // a PointerScope works by being open, never named
  @Test
  void trainAndEvalReturnNodesAreChosenSeparatelyAndSwitchWithTheMode() {
    TinyNet model = TinyNet.small();
    FeatureExtractor extractor =
        FeatureExtraction.createFeatureExtractor(
            model,
            ExtractorOptions.builder()
                .trainReturnNodes(map("drop", "f"))
                .evalReturnNodes(map("block", "f"))
                .suppressDiffWarning(true)
                .build());
    assertThat(extractor.is_training()).isTrue();
    assertThat(extractor.returnNodes(true)).containsExactly("f", "drop");
    assertThat(extractor.returnNodes(false)).containsExactly("f", "block.relu");

    List<String> computed = new ArrayList<>();
    TinyNet_FeatureGraph.RECORDER.set(computed);
    try (PointerScope scope = new PointerScope()) {
      extractor.forward(torch.randn(1, TinyNet.WIDTH));
      assertThat(computed).contains("drop");
      computed.clear();
      extractor.eval();
      assertThat(model.named_modules().get("drop").is_training()).isFalse();
      extractor.forward(torch.randn(1, TinyNet.WIDTH));
      assertThat(computed).containsExactly("stem", "block.fc", "block.relu").inOrder();
    } finally {
      TinyNet_FeatureGraph.RECORDER.remove();
    }
  }

  @Test
  void aNodeOnlyInTheTrainGraphIsNotPresentInEval() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FeatureExtraction.createFeatureExtractor(TinyNet.small(), List.of("drop")));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "node: 'drop' is not present in model. Hint: use `getGraphNodeNames` to make sure the"
                + " `returnNodes` you specified are present. It may even be that you need to"
                + " specify `trainReturnNodes` and `evalReturnNodes` separately.");
  }

  @Test
  void aMisspelledNodeGetsTheClosestName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FeatureExtraction.createFeatureExtractor(TinyNet.small(), List.of("blok.relu")));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "node: 'blok.relu' is not present in model. Hint: use `getGraphNodeNames` to make sure"
                + " the `returnNodes` you specified are present. It may even be that you need to"
                + " specify `trainReturnNodes` and `evalReturnNodes` separately. Did you mean"
                + " \"block.relu\"?");
  }

  @Test
  void twoRequestsForOneNodeAreAnErrorNamingBoth() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                FeatureExtraction.createFeatureExtractor(
                    TinyNet.small(), map("block", "a", "block.relu", "b")));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "return nodes \"block.relu\" and \"block\" both select node \"block.relu\", and each"
                + " node answers one request (torchvision's rule): drop one of them, or name a"
                + " different node for one");
  }

  @Test
  void aFailingNodeIsNamed() {
    TinyNet model = TinyNet.small();
    model.eval();
    FeatureExtractor extractor =
        FeatureExtraction.createFeatureExtractor(
            model,
            ExtractorOptions.builder()
                .returnNodes(List.of("head"))
                .suppressDiffWarning(true)
                .build());
    NodeExecutionException e =
        assertThrows(NodeExecutionException.class, () -> extractor.forward(torch.randn(2, 5)));
    assertThat(e).hasMessageThat().startsWith("node \"stem\" (call_module stem) failed: ");
    assertThat(e.getCause()).isNotInstanceOf(NodeExecutionException.class);
    String causeFirstLine = e.getCause().getMessage().strip().lines().findFirst().orElseThrow();
    assertThat(e).hasMessageThat().endsWith(causeFirstLine);
  }

  @Test
  void theExtractorSharesTheModelsParameters() {
    TinyNet model = TinyNet.small();
    FeatureExtractor extractor =
        FeatureExtraction.createFeatureExtractor(
            model,
            ExtractorOptions.builder()
                .returnNodes(List.of("add"))
                .suppressDiffWarning(true)
                .build());
    TensorVector mine = extractor.parameters();
    TensorVector theirs = model.parameters();
    assertThat(mine.size()).isEqualTo(theirs.size());
    for (long i = 0; i < mine.size(); i++) {
      assertThat(mine.get(i).data_ptr().address()).isEqualTo(theirs.get(i).data_ptr().address());
    }
    assertThat(extractor.model()).isSameInstanceAs(model);
  }

  @Test
  void leafModulesCannotChangeACompiledModel() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                FeatureExtraction.getGraphNodeNames(
                    TinyNet.small(), ExtractorOptions.builder().leafModules("Linear").build()));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "leafModules [torch::nn::LinearImpl] apply only to trees of built-in modules traced at"
                + " run time; the leaves of dev.featurex.runtime.fixture.TinyNet were fixed when"
                + " the featurex processor traced it: list them in @Traceable(leafModules = ...) or"
                + " annotate them with @LeafModule, and recompile");
  }

  @Test
  void aJavaModelWithoutGeneratedGraphsIsToldToAnnotate() {
    Module model = new dev.featurex.runtime.fixture.UntracedNet();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> FeatureExtraction.getGraphNodeNames(model));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "dev.featurex.runtime.fixture.UntracedNet has no graphs generated by the featurex"
                + " processor (looked for dev.featurex.runtime.fixture.UntracedNet_FeatureGraph):"
                + " annotate the class with @dev.featurex.annotations.Traceable (or"
                + " @dev.featurex.annotations.ExtractFeatures) and recompile with the featurex"
                + " processor (dev.featurex:featurex-processor) on the annotation processor path");
  }
}
