package dev.featurex.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * torchvision's {@code tracer_kwargs}, the Java way: the method to trace, concrete arguments for
 * its non-tensor parameters, and leaf functions recorded as one node.
 */
class TracerOptionsTest {

  private static final String IMPORTS =
      String.join(
          "\n",
          "package test;",
          "import dev.featurex.annotations.*;",
          "import org.bytedeco.pytorch.*;",
          "import org.bytedeco.pytorch.Module;",
          "import org.bytedeco.pytorch.global.torch;");

  private static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceString(
        "test." + name, IMPORTS + "\n" + String.join("\n", lines));
  }

  private static final String AUX_NET =
      String.join(
          "\n",
          "public class Net extends Module {",
          "  private final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
          "  private final LinearImpl aux = register_module(\"aux\", new LinearImpl(4, 2));",
          "  public Tensor forward(Tensor x, boolean returnAux) {",
          "    Tensor y = relu.forward(x);",
          "    return returnAux ? aux.forward(y) : y;",
          "  }",
          "  public Tensor features(Tensor x, double scale) {",
          "    return relu.forward(x).mul(new Scalar(scale));",
          "  }",
          "}");

  @Test
  void concreteArgumentsFixANonTensorParameter() {
    JavaFileObject off = source("Net", "@Traceable(concreteArgs = \"returnAux=false\")", AUX_NET);
    Compilation c = Traces.compile(off);
    assertThat(c).succeededWithoutWarnings();
    assertThat(Traces.names(c, "test.Net", "eval")).containsExactly("x", "relu").inOrder();

    JavaFileObject on = source("Net", "@Traceable(concreteArgs = \"returnAux=true\")", AUX_NET);
    c = Traces.compile(on);
    assertThat(c).succeededWithoutWarnings();
    assertThat(Traces.names(c, "test.Net", "eval")).containsExactly("x", "relu", "aux").inOrder();
  }

  @Test
  void forwardNamesTheMethodToTrace() {
    JavaFileObject s =
        source(
            "Net",
            "@ExtractFeatures(forward = \"features\", concreteArgs = \"scale=0.5\", value = \"mul:out\")",
            AUX_NET);
    Compilation c = Traces.compile(s);
    assertThat(c).succeededWithoutWarnings();
    assertThat(Traces.names(c, "test.Net", "eval")).containsExactly("x", "relu", "mul").inOrder();
  }

  @Test
  void aNonTensorParameterWithoutAValueIsAnErrorThatSaysHowToGiveIt() {
    JavaFileObject s = source("Net", "@Traceable", AUX_NET);
    Compilation c = Traces.compile(s);
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "no forward of Net takes only tensors and the parameters fixed by concreteArgs []; it"
                + " has forward(Tensor x, boolean returnAux)")
        .inFile(s)
        .onLineContaining("@Traceable");
  }

  @Test
  void badOptionsAreErrorsOnTheirValues() {
    JavaFileObject noMethod = source("Net", "@Traceable(forward = \"nope\")", AUX_NET);
    Compilation c = Traces.compile(noMethod);
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("Net has no method nope to trace")
        .inFile(noMethod)
        .onLineContaining("forward = \"nope\"");

    JavaFileObject badValue =
        source("Net", "@Traceable(concreteArgs = \"returnAux=maybe\")", AUX_NET);
    c = Traces.compile(badValue);
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("concreteArgs value \"maybe\" for parameter returnAux is not a boolean")
        .inFile(badValue)
        .onLineContaining("returnAux=maybe");

    JavaFileObject malformed = source("Net", "@Traceable(concreteArgs = \"returnAux\")", AUX_NET);
    c = Traces.compile(malformed);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("concreteArgs entry \"returnAux\" is malformed");

    JavaFileObject badFunction =
        source(
            "Net",
            "@Traceable(concreteArgs = \"returnAux=true\", leafFunctions = \"test.Nope.f\")",
            AUX_NET);
    c = Traces.compile(badFunction);
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("leafFunctions entry \"test.Nope.f\" names no static method")
        .inFile(badFunction)
        .onLineContaining("test.Nope.f");
  }

  @Test
  void leafFunctionIsOneNodeAndItsBodyIsNotRead() {
    JavaFileObject s =
        source(
            "Net",
            "@Traceable",
            "public class Net extends Module {",
            "  private final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
            "  @LeafFunction",
            "  static long batchOf(long n) {",
            "    if (n > 1) { return n; }",
            "    return (int) n;",
            "  }",
            "  public Tensor forward(Tensor x) {",
            "    batchOf(x.size(0));",
            "    return relu.forward(x);",
            "  }",
            "}");
    Compilation c = Traces.compile(s);
    assertThat(c).succeededWithoutWarnings();
    assertThat(Traces.names(c, "test.Net", "eval"))
        .containsExactly("x", "size", "batchOf", "relu")
        .inOrder();
  }

  @Test
  void leafFunctionsNamedForMethodsYouDoNotOwn() {
    JavaFileObject helper =
        source(
            "Helpers",
            "public final class Helpers {",
            "  public static Tensor gate(Tensor x) {",
            "    if (x.size(0) > 1) { return x.relu(); }",
            "    return x;",
            "  }",
            "}");
    JavaFileObject s =
        source(
            "Net",
            "@Traceable(leafFunctions = \"test.Helpers.gate\")",
            "public class Net extends Module {",
            "  public Tensor forward(Tensor x) { return Helpers.gate(x).neg(); }",
            "}");
    Compilation c = Traces.compile(s, helper);
    assertThat(c).succeededWithoutWarnings();
    assertThat(Traces.names(c, "test.Net", "eval")).containsExactly("x", "gate", "neg").inOrder();
  }

  @Test
  void mathOnTracedNumbersIsWrappedAsTorchvisionWrapsMath() {
    JavaFileObject s =
        source(
            "Net",
            "@Traceable",
            "public class Net extends Module {",
            "  public Tensor forward(Tensor x) {",
            "    double norm = Math.sqrt(x.size(1));",
            "    return x.div(new Scalar(norm));",
            "  }",
            "}");
    Compilation c = Traces.compile(s);
    assertThat(c).succeededWithoutWarnings();
    // The scalar is re-created from the node's value in generated code: new Scalar(sqrt).
    assertThat(Traces.names(c, "test.Net", "eval"))
        .containsExactly("x", "size", "sqrt", "div")
        .inOrder();
  }
}
