package dev.featurex.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The inference path the processor writes into typed extractors and graph programs, decided at
 * compile time: what is folded, written in place and freed depends on the requested nodes. (Its
 * results are checked against {@code forward} on real tensors in the samples' tests.)
 */
class InferenceCodeTest {

  private static final JavaFileObject NET =
      JavaFileObjects.forSourceString(
          "test.Net",
          String.join(
              "\n",
              "package test;",
              "import dev.featurex.annotations.ExtractFeatures;",
              "import org.bytedeco.javacpp.LongPointer;",
              "import org.bytedeco.pytorch.BatchNorm2dImpl;",
              "import org.bytedeco.pytorch.BatchNormOptions;",
              "import org.bytedeco.pytorch.Conv2dImpl;",
              "import org.bytedeco.pytorch.Module;",
              "import org.bytedeco.pytorch.ReLUImpl;",
              "import org.bytedeco.pytorch.Tensor;",
              "@ExtractFeatures(name = \"Out\", value = \"relu_1\")",
              "@ExtractFeatures(name = \"Norm\", value = {\"bn\", \"relu_1\"})",
              "@ExtractFeatures(name = \"Conv\", value = {\"conv\", \"relu_1\"})",
              "public class Net extends Module {",
              "  private final Conv2dImpl conv =",
              "      register_module(\"conv\", new Conv2dImpl(3, 4, new LongPointer(1L, 1L)));",
              "  private final BatchNorm2dImpl bn =",
              "      register_module(\"bn\", new BatchNorm2dImpl(new BatchNormOptions(4)));",
              "  private final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
              "  private final Conv2dImpl conv2 =",
              "      register_module(\"conv2\", new Conv2dImpl(4, 4, new LongPointer(1L, 1L)));",
              "  public Tensor forward(Tensor x) {",
              "    Tensor h = relu.forward(bn.forward(conv.forward(x)));",
              "    return relu.forward(conv2.forward(h).add(h));",
              "  }",
              "}"));

  private static String inferenceMethod(String source) {
    int start = source.indexOf("forwardInference(Tensor x) {");
    assertThat(start).isAtLeast(0);
    return source.substring(start, source.indexOf("\n  }\n", start));
  }

  @Test
  void foldsWritesInPlaceAndFreesWhatNothingReadsAgain() {
    Compilation compilation = Traces.compile(NET);
    assertThat(compilation).succeededWithoutWarnings();
    String body =
        inferenceMethod(Traces.generatedSource(compilation, "test.NetOutFeatureExtractor"));
    assertThat(body).contains("// conv and bn, folded\n");
    assertThat(body).contains("Tensor bn = this.inference.folded(0, x);");
    assertThat(body)
        .contains("Tensor relu = scope.inPlace() ? InPlace.relu(bn) : this.relu.forward(bn);");
    // The add writes into conv2's output (relu is read twice); relu_1 into the add's.
    assertThat(body)
        .contains("Tensor add = scope.inPlace() ? InPlace.add(conv2, relu) : conv2.add(relu);");
    assertThat(body).contains("InPlace.relu(add)");
    // conv2 is not folded (no batch norm after it): its kernel is the state's to choose.
    assertThat(body).contains("Tensor conv2 = this.inference.convolution(0, relu);");
    assertThat(body).contains("scope.free(relu);");
    assertThat(body).doesNotContain("scope.free(relu_1)"); // the feature
    assertThat(body).doesNotContain("scope.free(x)"); // the caller's input
  }

  @Test
  void aRequestedBatchNormIsNotOverwrittenNorItsConvolutionFolded() {
    Compilation compilation = Traces.compile(NET);
    String norm =
        inferenceMethod(Traces.generatedSource(compilation, "test.NetNormFeatureExtractor"));
    assertThat(norm).contains("Tensor relu = this.relu.forward(bn);");
    assertThat(norm).doesNotContain("InPlace.relu(bn)");
    assertThat(norm).doesNotContain("scope.free(bn)");
    String conv =
        inferenceMethod(Traces.generatedSource(compilation, "test.NetConvFeatureExtractor"));
    assertThat(conv).contains("Tensor conv = this.inference.convolution(0, x);");
    assertThat(conv).contains("Tensor bn = this.bn.forward(conv);");
    assertThat(conv).doesNotContain("folded");
  }

  @Test
  void theGraphProgramGivesTraitsInPlaceVariantsAndFoldModules() {
    String descriptor = Traces.generatedSource(Traces.compile(NET), "test.Net_FeatureGraph");
    assertThat(descriptor).contains("public List<NodeTraits> traits()");
    assertThat(descriptor).contains("public Object computeInPlace(int node, int overwritten");
    assertThat(descriptor).contains("return InPlace.relu(((Tensor) v[0]));");
    assertThat(descriptor).contains("public Module module(int node)");
    assertThat(descriptor).contains("return table.module(node, bound);");
  }
}
