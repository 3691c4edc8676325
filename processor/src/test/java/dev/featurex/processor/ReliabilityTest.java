package dev.featurex.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Odd inputs a hostile or careless user gives the processor: each ends in a clear error on the
 * right line, or in a compilation whose generated code compiles; never an exception, a hang or a
 * javac crash.
 */
class ReliabilityTest {

  private static final String IMPORTS =
      String.join(
          "\n",
          "package test;",
          "import dev.featurex.annotations.*;",
          "import java.util.*;",
          "import org.bytedeco.pytorch.*;",
          "import org.bytedeco.pytorch.Module;",
          "import org.bytedeco.pytorch.global.torch;");

  private static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceString(
        "test." + name, IMPORTS + "\n" + String.join("\n", lines));
  }

  private static final String RELU_NET_BODY =
      "  private final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());\n"
          + "  public Tensor forward(Tensor x) { return relu.forward(x); }";

  private static void assertOneError(Compilation c, JavaFileObject file, String line, String text) {
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining(text).inFile(file).onLineContaining(line);
  }

  @Test
  void privateNestedModelIsRefused() {
    JavaFileObject s =
        source(
            "Outer",
            "public class Outer {",
            "  @Traceable private static class Net extends Module {",
            RELU_NET_BODY,
            "  }",
            "}");
    assertOneError(Traces.compile(s), s, "private static class Net", "test.Outer.Net is private");
  }

  @Test
  void privateLeafModuleIsRefusedOnItsCall() {
    JavaFileObject s =
        source(
            "Net",
            "@Traceable public class Net extends Module {",
            "  @LeafModule private static class Odd extends Module {",
            "    public Tensor forward(Tensor x) { return x; }",
            "  }",
            "  private final Odd odd = register_module(\"odd\", new Odd());",
            "  public Tensor forward(Tensor x) { return odd.forward(x); }",
            "}");
    assertOneError(
        Traces.compile(s),
        s,
        "return odd.forward(x);",
        "the leaf module test.Net.Odd, or its forward");
  }

  @Test
  void extractorNameWithASpaceIsRefused() {
    JavaFileObject s =
        source(
            "Net",
            "@ExtractFeatures(name = \"Two Words\", value = \"relu\")",
            "public class Net extends Module {",
            RELU_NET_BODY,
            "}");
    assertOneError(
        Traces.compile(s),
        s,
        "name = \"Two Words\"",
        "@ExtractFeatures name \"Two Words\" is appended to Net to name the generated classes");
  }

  @Test
  void generatedNameTakenByAClassOfTheCompilation() {
    JavaFileObject s =
        source(
            "Net",
            "@ExtractFeatures(name = \"A\", value = \"relu\")",
            "public class Net extends Module {",
            RELU_NET_BODY,
            "}");
    JavaFileObject taken = source("NetAFeatures", "public class NetAFeatures {}");
    Compilation c = Traces.compile(s, taken);
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("featurex would generate test.NetAFeatures, but that name is taken");
  }

  @Test
  void twoModelsWhoseGeneratedNamesCollide() {
    JavaFileObject flat =
        source("A_B", "@Traceable public class A_B extends Module {", RELU_NET_BODY, "}");
    JavaFileObject nested =
        source(
            "A",
            "public class A {",
            "  @Traceable public static class B extends Module {",
            RELU_NET_BODY,
            "  }",
            "}");
    Compilation c = Traces.compile(flat, nested);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("featurex would generate test.A_B_FeatureGraph");
  }

  @Test
  void emptyListOfExtractorsAsksForNothing() {
    JavaFileObject s = source("Plain", "@ExtractFeatures.List({})", "public class Plain {}");
    assertThat(Traces.compile(s)).succeededWithoutWarnings();
  }

  @Test
  void forwardWithoutInputs() {
    JavaFileObject s =
        source(
            "Net",
            "@ExtractFeatures(\"ones\")",
            "public class Net extends Module {",
            "  public Tensor forward() { return torch.ones(2); }",
            "}");
    Compilation c = Traces.compile(s);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("forward must return a tensor computed from its inputs");
  }

  @Test
  void forwardWithoutInputsReadingAParameter() {
    JavaFileObject s =
        source(
            "Net",
            "@ExtractFeatures(\"mul:out\")",
            "public class Net extends Module {",
            "  private final Tensor w = register_parameter(\"w\", torch.ones(2));",
            "  public Tensor forward() { return w.mul(w); }",
            "}");
    Compilation c = Traces.compile(s);
    assertThat(c).succeededWithoutWarnings();
    assertThat(Traces.names(c, "test.Net", "eval")).containsExactly("w", "mul").inOrder();
  }

  @Test
  void tooManyFeaturesForOneRecord() {
    String nodes =
        IntStream.range(0, 300).mapToObj(i -> "\"fc" + i + "\"").collect(Collectors.joining(", "));
    JavaFileObject s =
        source(
            "Net",
            "@ExtractFeatures({" + nodes + "})",
            "public class Net extends Module {",
            "  private final List<LinearImpl> fcs = new ArrayList<>();",
            "  public Net() { for (int i = 0; i < 300; i++) fcs.add(register_module(\"fc\" + i, new LinearImpl(2, 2))); }",
            "  public Tensor forward(Tensor x) { for (LinearImpl fc : fcs) x = fc.forward(x); return x; }",
            "}");
    Compilation c = Traces.compile(s);
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("@ExtractFeatures asks for 300 features; one record holds at most 254");
  }

  @Test
  void keysThatWouldClashWithTheRecordsMethods() {
    JavaFileObject s =
        source(
            "Net",
            "@ExtractFeatures({\"relu:close\"})",
            "public class Net extends Module {",
            RELU_NET_BODY,
            "}");
    assertOneError(
        Traces.compile(s),
        s,
        "relu:close",
        "@ExtractFeatures key \"close\" would name the record component \"close\"");
    JavaFileObject map =
        source(
            "Net",
            "@ExtractFeatures({\"relu:map\"})",
            "public class Net extends Module {",
            RELU_NET_BODY,
            "}");
    assertThat(Traces.compile(map)).succeededWithoutWarnings();
  }

  @Test
  void aModelOfThousandsOfLayersCompiles() {
    JavaFileObject s =
        source(
            "Deep",
            "@ExtractFeatures({\"fc1199:last\", \"fc3:early\"})",
            "public class Deep extends Module {",
            "  private final List<LinearImpl> fcs = new ArrayList<>();",
            "  public Deep() { for (int i = 0; i < 1200; i++) fcs.add(register_module(\"fc\" + i, new LinearImpl(2, 2))); }",
            "  public Tensor forward(Tensor x) { for (LinearImpl fc : fcs) x = fc.forward(x).relu(); return x; }",
            "}");
    Compilation c = Traces.compile(s);
    assertThat(c).succeededWithoutWarnings();
    assertThat(Traces.names(c, "test.Deep", "eval")).hasSize(2401);
  }

  /**
   * The graph program has one case per kind of call, not per node (issue 12: the processor's cost
   * on a zoo): 1,200 layers compile to the cases 2 layers do, the layers being data.
   */
  @Test
  void aDeeperModelAddsNoCodeToItsProgram() {
    String shallow = deepNet(2);
    String deep = deepNet(1200);
    assertThat(countOf(deep, "case ")).isEqualTo(countOf(shallow, "case "));
    assertThat(countOf(deep, "case ")).isEqualTo(3); // linear, relu, and relu in place
    assertThat(deep).contains("return ((LinearImpl) b[o[0]]).forward(((Tensor) v[0]));");
  }

  /** Calls that differ only in a constant, or in the type of a value, keep cases of their own. */
  @Test
  void callsThatDifferInAConstantHaveTheirOwnCases() {
    JavaFileObject s =
        source(
            "Flat",
            "@Traceable public class Flat extends Module {",
            "  private final LinearImpl a = register_module(\"a\", new LinearImpl(2, 2));",
            "  private final LinearImpl b = register_module(\"b\", new LinearImpl(2, 2));",
            "  public Tensor forward(Tensor x) {",
            "    Tensor y = torch.flatten(a.forward(x), 1, -1);",
            "    return torch.flatten(b.forward(y), 0, -1);",
            "  }",
            "}");
    Compilation c = Traces.compile(s);
    assertThat(c).succeededWithoutWarnings();
    String program = Traces.generatedSource(c, "test.Flat_FeatureGraph");
    assertThat(program).contains("case 0: // a and 1 more");
    assertThat(program).contains("return torch.flatten(((Tensor) v[0]), 1, -1);");
    assertThat(program).contains("return torch.flatten(((Tensor) v[0]), 0, -1);");
    assertThat(countOf(program, "case ")).isEqualTo(3);
  }

  /** A leaf module named like the generated program class still compiles: the names are apart. */
  @Test
  void aLeafModuleNamedProgram() {
    JavaFileObject s =
        source(
            "Net",
            "@Traceable public class Net extends Module {",
            "  @LeafModule public static class Program extends Module {",
            "    public Tensor forward(Tensor x) { return x; }",
            "  }",
            "  private final Program program = register_module(\"program\", new Program());",
            "  public Tensor forward(Tensor x) { return program.forward(x).relu(); }",
            "}");
    Compilation c = Traces.compile(s);
    assertThat(c).succeededWithoutWarnings();
    assertThat(Traces.names(c, "test.Net", "eval")).containsExactly("x", "program", "relu");
    String descriptor = Traces.generatedSource(c, "test.Net_FeatureGraph");
    assertThat(descriptor).contains("return ((Net.Program) b[o[0]]).forward(((Tensor) v[0]));");
  }

  private static String deepNet(int layers) {
    JavaFileObject s =
        source(
            "Deep",
            "@Traceable public class Deep extends Module {",
            "  private final List<LinearImpl> fcs = new ArrayList<>();",
            "  public Deep() { for (int i = 0; i < " + layers + "; i++)",
            "    fcs.add(register_module(\"fc\" + i, new LinearImpl(2, 2))); }",
            "  public Tensor forward(Tensor x) { for (LinearImpl fc : fcs) x = fc.forward(x).relu();"
                + " return x; }",
            "}");
    Compilation c = Traces.compile(s);
    assertThat(c).succeededWithoutWarnings();
    return Traces.generatedSource(c, "test.Deep_FeatureGraph");
  }

  private static int countOf(String text, String part) {
    int count = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      count++;
    }
    return count;
  }

  @Test
  void aModuleNameLongerThanGeneratedCodeCanHold() {
    JavaFileObject s =
        source(
            "Net",
            "@Traceable public class Net extends Module {",
            "  private final ReLUImpl relu = register_module(\"r\".repeat(70_000), new ReLUImpl());",
            "  public Tensor forward(Tensor x) { return relu.forward(x); }",
            "}");
    Compilation c = Traces.compile(s);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("has a qualified name of 70,000 characters");
  }

  @Test
  void dollarInAClassName() throws IOException {
    JavaFileObject s =
        source("Net$V2", "@Traceable public class Net$V2 extends Module {", RELU_NET_BODY, "}");
    Compilation c = Traces.compile(s);
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("test.Net_V2_FeatureGraph");
  }

  @Test
  void theForwardThatTakesOnlyTensorsIsTraced() {
    JavaFileObject s =
        source(
            "Net",
            "@Traceable public class Net extends Module {",
            "  private final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
            "  public Tensor forward(Tensor x, double scale) { return relu.forward(x).mul(new Scalar(scale)); }",
            "  public Tensor forward(Tensor x) { return relu.forward(x); }",
            "}");
    Compilation c = Traces.compile(s);
    assertThat(c).succeededWithoutWarnings();
    assertThat(Traces.names(c, "test.Net", "eval")).containsExactly("x", "relu").inOrder();
  }

  @Test
  void factoryThatBuildsAnotherClass() {
    JavaFileObject s =
        source(
            "Net",
            "@Traceable(factories = \"other\")",
            "public class Net extends Module {",
            "  public static Module other() { return new ReLUImpl(); }",
            RELU_NET_BODY,
            "}");
    assertOneError(
        Traces.compile(s),
        s,
        "public static Module other()",
        "other() returns a ReLUImpl, not a Net");
  }

  @Test
  void regularExpressionRequestThatWouldBacktrackForEver() {
    JavaFileObject s =
        source(
            "Net",
            "@ExtractFeatures(\"(.*a){20}b\")",
            "public class Net extends Module {",
            "  private final ReLUImpl relu = register_module(\""
                + "a".repeat(60)
                + "\", new ReLUImpl());",
            "  public Tensor forward(Tensor x) { return relu.forward(x); }",
            "}");
    long start = System.nanoTime();
    Compilation c = Traces.compile(s);
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(30.0);
    assertOneError(c, s, "(.*a){20}b", "escape its special characters");
  }

  @Test
  void jdkCallsThatWouldTouchTheCompilerAreNotRun() {
    JavaFileObject s =
        source(
            "Net",
            "@Traceable public class Net extends Module {",
            "  public Net() { System.exit(3); }",
            RELU_NET_BODY,
            "}");
    assertOneError(
        Traces.compile(s), s, "System.exit(3);", "cannot follow the call \"System.exit(3)\"");
  }

  @Test
  void unregisteredTensorUsedInForwardIsRefused() {
    JavaFileObject s =
        source(
            "Net",
            "@Traceable public class Net extends Module {",
            "  private final Tensor w = torch.ones(3);",
            "  public Tensor forward(Tensor x) { return x.mul(w); }",
            "}");
    assertOneError(
        Traces.compile(s),
        s,
        "return x.mul(w);",
        "a Tensor made while building the model and used in forward without being registered");
  }

  /**
   * An IDE recompiles only the model's file, with the earlier output (the generated record among
   * it) on the class path: javac 17 to 22 crashed there on records with implicit accessors
   * (JDK-8332297).
   */
  @Test
  void recompilingTheModelAloneWithTheEarlierOutputOnTheClassPath(@TempDir Path classes)
      throws IOException {
    JavaFileObject s =
        source(
            "Net",
            "@ExtractFeatures(\"relu:out\")",
            "public class Net extends Module {",
            RELU_NET_BODY,
            "}");
    Compilation first = Traces.compile(s);
    assertThat(first).succeededWithoutWarnings();
    for (JavaFileObject file : first.generatedFiles()) {
      if (file.getKind() != JavaFileObject.Kind.CLASS) {
        continue;
      }
      String name = file.toUri().getPath();
      Path target = classes.resolve(name.substring(name.indexOf("/test/") + 1));
      Files.createDirectories(target.getParent());
      try (InputStream in = file.openInputStream()) {
        Files.copy(in, target);
      }
    }
    List<File> classpath = new ArrayList<>();
    classpath.add(classes.toFile());
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      classpath.add(new File(entry));
    }
    Compilation second = Traces.javac().withClasspath(classpath).compile(s);
    assertThat(second).succeededWithoutWarnings();
    assertThat(second.generatedFile(StandardLocation.CLASS_OUTPUT, "test", "NetFeatures.class"))
        .isPresent();
  }
}
