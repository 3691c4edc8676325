package dev.featurex.runtime;

import static com.google.common.truth.Truth.assertThat;
import static dev.featurex.runtime.KeepAlive.keep;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** torchvision's argument errors, and null or empty arguments. */
class ArgumentsTest {

  private static SequentialImpl model() {
    SequentialImpl model = new SequentialImpl();
    model.push_back(keep(new LinearImpl(4, 4)));
    model.push_back(keep(new ReLUImpl()));
    model.push_back(keep(new LinearImpl(4, 4)));
    model.push_back(keep(new ReLUImpl()));
    return model;
  }

  private static String message(Class<? extends Throwable> type, Executable call) {
    return assertThrows(type, call).getMessage();
  }

  private static String create(ExtractorOptions.Builder options) {
    return message(
        IllegalArgumentException.class,
        () -> FeatureExtraction.createFeatureExtractor(model(), options.build()));
  }

  @Test
  void neitherReturnNodesNorBothModeNodes() {
    assertThat(create(ExtractorOptions.builder()))
        .isEqualTo(
            "Either `returnNodes` or `trainReturnNodes` and `evalReturnNodes` together, should be"
                + " specified");
  }

  @Test
  void onlyOneOfTheModeNodes() {
    String expected =
        "If any of `trainReturnNodes` and `evalReturnNodes` are specified, then both should be"
            + " specified";
    assertThat(create(ExtractorOptions.builder().trainReturnNodes(List.of("1"))))
        .isEqualTo(expected);
    assertThat(create(ExtractorOptions.builder().evalReturnNodes(List.of("1"))))
        .isEqualTo(expected);
  }

  @Test
  void returnNodesTogetherWithTheModeNodes() {
    assertThat(
            create(
                ExtractorOptions.builder()
                    .returnNodes(List.of("1"))
                    .trainReturnNodes(List.of("1"))
                    .evalReturnNodes(List.of("1"))))
        .isEqualTo(
            "If `trainReturnNodes` and `evalReturnNodes` are specified, then both should be"
                + " specified");
  }

  @Test
  void anUnknownNodeGetsTorchvisionsMessageAndTheClosestNames() {
    SequentialImpl model = model();
    assertThat(
            message(
                IllegalArgumentException.class,
                () -> FeatureExtraction.createFeatureExtractor(model, List.of("11"))))
        .isEqualTo(
            "node: '11' is not present in model. Hint: use `getGraphNodeNames` to make sure the"
                + " `returnNodes` you specified are present. It may even be that you need to"
                + " specify `trainReturnNodes` and `evalReturnNodes` separately. Did you mean"
                + " \"1\"?");
  }

  @Test
  void nullArgumentsAreRejected() {
    assertThat(
            message(
                NullPointerException.class,
                () -> FeatureExtraction.createFeatureExtractor(null, List.of("1"))))
        .isEqualTo("model must not be null");
    assertThat(
            message(
                NullPointerException.class,
                () -> FeatureExtraction.createFeatureExtractor(model(), (List<String>) null)))
        .isEqualTo("returnNodes must not be null");
    assertThat(
            message(
                NullPointerException.class,
                () ->
                    FeatureExtraction.createFeatureExtractor(model(), (Map<String, String>) null)))
        .isEqualTo("returnNodes must not be null");
    assertThat(
            message(
                NullPointerException.class,
                () -> FeatureExtraction.createFeatureExtractor(model(), (ExtractorOptions) null)))
        .isEqualTo("options must not be null");
    assertThat(message(NullPointerException.class, () -> FeatureExtraction.getGraphNodeNames(null)))
        .isEqualTo("model must not be null");
    assertThat(
            message(
                IllegalArgumentException.class,
                () -> FeatureExtraction.createFeatureExtractor(model(), Arrays.asList("1", null))))
        .isEqualTo("returnNodes contains a null or blank node name");
    Map<String, String> nullKey = new LinkedHashMap<>();
    nullKey.put("1", null);
    assertThat(
            message(
                IllegalArgumentException.class,
                () -> ExtractorOptions.builder().trainReturnNodes(nullKey)))
        .isEqualTo("trainReturnNodes gives node \"1\" a null or blank key");
  }

  @Test
  void emptyArgumentsAreRejected() {
    assertThat(
            message(
                IllegalArgumentException.class,
                () -> FeatureExtraction.createFeatureExtractor(model(), List.of())))
        .isEqualTo(
            "returnNodes is empty: name at least one node (FeatureExtraction.getGraphNodeNames"
                + " lists them)");
    assertThat(
            message(
                IllegalArgumentException.class,
                () -> ExtractorOptions.builder().evalReturnNodes(Map.of())))
        .isEqualTo(
            "evalReturnNodes is empty: name at least one node (FeatureExtraction.getGraphNodeNames"
                + " lists them)");
    assertThat(
            message(
                IllegalArgumentException.class,
                () -> FeatureExtraction.createFeatureExtractor(model(), List.of(" "))))
        .isEqualTo("returnNodes contains a null or blank node name");
  }

  @Test
  void duplicatesAreRejected() {
    assertThat(
            message(
                IllegalArgumentException.class,
                () -> FeatureExtraction.createFeatureExtractor(model(), List.of("1", "1"))))
        .isEqualTo("returnNodes lists \"1\" twice");
    Map<String, String> sameKey = new LinkedHashMap<>();
    sameKey.put("1", "f");
    sameKey.put("3", "f");
    assertThat(
            message(
                IllegalArgumentException.class,
                () -> FeatureExtraction.createFeatureExtractor(model(), sameKey)))
        .isEqualTo("returnNodes gives the key \"f\" to both \"1\" and \"3\"; keys must be unique");
  }

  @Test
  void forwardRejectsWrongInputs() {
    FeatureExtractor extractor = FeatureExtraction.createFeatureExtractor(model(), List.of("1"));
    assertThat(message(IllegalArgumentException.class, () -> extractor.forward()))
        .isEqualTo("forward takes 1 input tensor(s) (x), got 0");
    assertThat(
            message(
                IllegalArgumentException.class,
                () -> extractor.forward((org.bytedeco.pytorch.Tensor[]) null)))
        .isEqualTo("inputs must not be null");
  }

  @Test
  void leafModuleNamesAreNormalizedAndJavaClassesRejected() {
    ExtractorOptions options =
        ExtractorOptions.builder()
            .leafModules("Conv2d", "torch::nn::ReLU", "torch::nn::LinearImpl")
            .leafModuleClasses(SequentialImpl.class, Conv2dImpl.class)
            .build();
    assertThat(options.leafModules())
        .containsExactly(
            "torch::nn::Conv2dImpl",
            "torch::nn::ReLUImpl",
            "torch::nn::LinearImpl",
            "torch::nn::SequentialImpl")
        .inOrder();
    assertThat(
            message(
                IllegalArgumentException.class,
                () -> ExtractorOptions.builder().leafModuleClasses(JavaModule.class)))
        .isEqualTo(
            "dev.featurex.runtime.ArgumentsTest$JavaModule is not a built-in libtorch module: a"
                + " Java module's leaf status is fixed at compile time; annotate it with"
                + " @dev.featurex.annotations.LeafModule or list it in @Traceable(leafModules ="
                + " ...)");
    assertThat(
            message(
                IllegalArgumentException.class,
                () -> ExtractorOptions.builder().leafModules("nn.Conv2d")))
        .isEqualTo(
            "leafModules: \"nn.Conv2d\" is not a libtorch module type such as"
                + " \"torch::nn::Conv2dImpl\"");
  }

  @Test
  void optionsKeepTheGivenOrder() {
    Map<String, String> nodes = new LinkedHashMap<>();
    nodes.put("3", "late");
    nodes.put("1", "early");
    ExtractorOptions options = ExtractorOptions.builder().returnNodes(nodes).build();
    assertThat(options.returnNodes()).containsExactly("3", "late", "1", "early").inOrder();
    assertThat(options.trainReturnNodes()).isEmpty();
    assertThat(options.suppressDiffWarning()).isFalse();
    FeatureExtractor extractor = FeatureExtraction.createFeatureExtractor(model(), options);
    // Outputs come in execution order whatever the order asked.
    assertThat(extractor.returnNodes(false)).containsExactly("early", "1", "late", "3").inOrder();
  }

  /** A Java module class. */
  static final class JavaModule extends Module {}
}
