package dev.featurex.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Every {@code @ExtractFeatures} error: the message, on the annotation line, exactly once. */
class ReturnNodeErrorsTest {

  /** A two-block model (nodes x, a, b, b_relu... see below) with {@code annotation} on it. */
  private static JavaFileObject model(String annotation) {
    return JavaFileObjects.forSourceString(
        "test.Net",
        String.join(
            "\n",
            "package test;",
            "import dev.featurex.annotations.ExtractFeatures;",
            "import org.bytedeco.pytorch.LinearImpl;",
            "import org.bytedeco.pytorch.Module;",
            "import org.bytedeco.pytorch.ReLUImpl;",
            "import org.bytedeco.pytorch.Tensor;",
            annotation,
            "public class Net extends Module {",
            "  private final LinearImpl fc1 = register_module(\"fc1\", new LinearImpl(4, 4));",
            "  private final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
            "  private final LinearImpl fc2 = register_module(\"fc2\", new LinearImpl(4, 2));",
            "  public Net() {}",
            "  public static Net small() { return new Net(); }",
            "  public Net notStatic() { return new Net(); }",
            "  public Tensor forward(Tensor x) {",
            "    Tensor h = relu.forward(fc1.forward(x));",
            "    return fc2.forward(h.view(h.size(0), -1));",
            "  }",
            "}"));
  }

  private static void assertError(String annotation, String message) {
    JavaFileObject source = model(annotation);
    Compilation compilation = javac().withProcessors(new FeaturexProcessor()).compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining(message).inFile(source).onLineContaining(annotation);
  }

  @Test
  void validAnnotationCompilesWithoutWarnings() {
    Compilation compilation =
        javac()
            .withProcessors(new FeaturexProcessor())
            .compile(
                model("@ExtractFeatures(value = {\"fc1\", \"relu:hidden\"}, factory = \"small\")"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("test.NetFeatures");
    assertThat(compilation).generatedSourceFile("test.NetFeatureExtractor");
    assertThat(compilation).generatedSourceFile("test.Net_FeatureGraph");
  }

  @Test
  void nodeNotPresentListsTheClosestNames() {
    assertError(
        "@ExtractFeatures(\"fc3\")",
        "@ExtractFeatures node \"fc3\" is not present in Net; did you mean \"fc1\" or \"fc2\"?");
  }

  @Test
  void nodeNotPresentHintsHowToListNodes() {
    assertError(
        "@ExtractFeatures(\"classifier\")",
        "list the nodes with @Traceable and FeatureExtraction.getGraphNodeNames");
  }

  @Test
  void malformedEntry() {
    assertError(
        "@ExtractFeatures(\"fc1:a:b\")",
        "@ExtractFeatures entry \"fc1:a:b\" is malformed: more than one ':'");
  }

  @Test
  void emptyKey() {
    assertError(
        "@ExtractFeatures(\"fc1:\")",
        "@ExtractFeatures entry \"fc1:\" is malformed: an empty key after ':'");
  }

  @Test
  void duplicateKeys() {
    assertError(
        "@ExtractFeatures({\"fc1:out\", \"fc2:out\"})",
        "@ExtractFeatures key \"out\" is used twice");
  }

  @Test
  void keyThatIsNotAnIdentifier() {
    assertError(
        "@ExtractFeatures(\"fc1:my-key\")",
        "@ExtractFeatures key \"my-key\" is not a Java identifier");
  }

  @Test
  void keyThatIsAKeyword() {
    assertError(
        "@ExtractFeatures(\"fc1:class\")",
        "@ExtractFeatures key \"class\" is not a Java identifier (it is a keyword)");
  }

  @Test
  void valueWithTrainOrEval() {
    assertError(
        "@ExtractFeatures(value = \"fc1\", train = \"fc1\", eval = \"fc1\")",
        "@ExtractFeatures takes either value, or train and eval together, not both");
  }

  @Test
  void trainWithoutEval() {
    assertError(
        "@ExtractFeatures(train = \"fc1\")",
        "@ExtractFeatures: if any of train and eval are specified, then both should be specified");
  }

  @Test
  void trainAndEvalWithDifferentKeys() {
    assertError(
        "@ExtractFeatures(train = \"fc1\", eval = \"fc2\")",
        "@ExtractFeatures train and eval must return the same keys (one record holds both); train has [fc1], eval has [fc2]");
  }

  @Test
  void noReturnNodes() {
    assertError("@ExtractFeatures()", "@ExtractFeatures names no return nodes");
  }

  @Test
  void factoryThatDoesNotExist() {
    assertError(
        "@ExtractFeatures(value = \"fc1\", factory = \"large\")",
        "Net has no method \"large\"; factory must name a static method without parameters that returns the model");
  }

  @Test
  void factoryThatIsNotStatic() {
    assertError(
        "@ExtractFeatures(value = \"fc1\", factory = \"notStatic\")",
        "factory \"notStatic\" of Net must be static and take no parameters");
  }

  @Test
  void twoRequestsForOneNode() {
    assertError(
        "@ExtractFeatures({\"fc2\", \"fc2:again\"})",
        "@ExtractFeatures node \"fc2\" selects its last node, which \"fc2\" already selects");
  }

  @Test
  void twoExtractorsWithTheSameName() {
    assertError(
        "@ExtractFeatures(\"fc1\") @ExtractFeatures(\"fc2\")",
        "Net has two @ExtractFeatures with name \"\"; give each a different name");
  }

  @Test
  void errorsInARepeatedAnnotationPointAtIt() {
    assertError(
        "@ExtractFeatures(name = \"A\", value = \"fc1\") @ExtractFeatures(name = \"B\", value = \"fc3\")",
        "@ExtractFeatures node \"fc3\" is not present in Net");
  }

  @Test
  void nodeThatIsNotATensor() {
    assertError(
        "@ExtractFeatures(\"size\")",
        "@ExtractFeatures node \"size\" selects \"size\", whose value is a long, not a tensor");
  }

  @Test
  void parameterNamesDoNotClashWithGeneratedLocals() {
    JavaFileObject source =
        JavaFileObjects.forSourceString(
            "test.Clash",
            String.join(
                "\n",
                "package test;",
                "import dev.featurex.annotations.ExtractFeatures;",
                "import org.bytedeco.pytorch.Module;",
                "import org.bytedeco.pytorch.ReLUImpl;",
                "import org.bytedeco.pytorch.Tensor;",
                "@ExtractFeatures(\"relu:v1\")",
                "public class Clash extends Module {",
                "  private final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
                "  public Tensor forward(Tensor scope, Tensor outer) {",
                "    return relu.forward(scope.add(outer));",
                "  }",
                "}"));
    assertThat(javac().withProcessors(new FeaturexProcessor()).compile(source))
        .succeededWithoutWarnings();
  }
}
