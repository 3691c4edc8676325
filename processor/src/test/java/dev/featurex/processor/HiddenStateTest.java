package dev.featurex.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * State the tracer cannot see or the runtime cannot check: the enclosing instance of an inner
 * module class (javac's hidden field), and non-final static fields read in {@code forward}. Each
 * was traced with a wrong value and no error before: these are compile errors on the read, and the
 * forms that do work are traced with the right values.
 */
class HiddenStateTest {

  /** {@code @Traceable public class Net extends Module { members }}. */
  private static JavaFileObject model(String... members) {
    return JavaFileObjects.forSourceString(
        "test.Net",
        String.join(
            "\n",
            "package test;",
            "import dev.featurex.annotations.Traceable;",
            "import org.bytedeco.pytorch.Module;",
            "import org.bytedeco.pytorch.ReLUImpl;",
            "import org.bytedeco.pytorch.Scalar;",
            "import org.bytedeco.pytorch.Tensor;",
            "import org.bytedeco.pytorch.global.torch;",
            "@Traceable",
            "public class Net extends Module {",
            String.join("\n", members),
            "}"));
  }

  /** An inner (non-static) module class {@code Block} whose forward is {@code blockForward}. */
  private static JavaFileObject withInnerBlock(String outerField, String... blockForward) {
    return model(
        "  " + outerField,
        "  final Block block;",
        "  class Block extends Module {",
        "    final double scale = 2.0;",
        "    final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
        String.join("\n", blockForward),
        "  }",
        "  public Net() { block = register_module(\"block\", new Block()); }",
        "  public Tensor forward(Tensor x) { return block.forward(x); }");
  }

  private static void assertError(JavaFileObject source, String line, String... messages) {
    Compilation compilation = Traces.compile(source);
    assertThat(compilation).hadErrorCount(1);
    for (String message : messages) {
      assertThat(compilation).hadErrorContaining(message).inFile(source).onLineContaining(line);
    }
  }

  private static String enclosing(String expression) {
    return "\""
        + expression
        + "\" reads the enclosing instance (Net.this) of the inner class Block, which the tracer"
        + " cannot see";
  }

  private static final String ENCLOSING_FIX =
      "pass the value to Block's constructor and keep it in a field of Block, or make Block a"
          + " static nested class";

  @Test
  void qualifiedThisOfTheEnclosingInstanceIsRefused() {
    // Was read as Block's own scale (2.0): features 4x off, without an error.
    assertError(
        withInnerBlock(
            "final double scale = 0.5;",
            "    public Tensor forward(Tensor x) {",
            "      return relu.forward(x).mul(new Scalar(Net.this.scale));",
            "    }"),
        "Net.this.scale",
        enclosing("Net.this"),
        ENCLOSING_FIX);
  }

  @Test
  void fieldOfTheEnclosingInstanceIsRefused() {
    assertError(
        withInnerBlock(
            "final double gain = 0.5;",
            "    public Tensor forward(Tensor x) {",
            "      return relu.forward(x).mul(new Scalar(gain));",
            "    }"),
        "new Scalar(gain)",
        enclosing("gain"),
        ENCLOSING_FIX);
  }

  @Test
  void methodOfTheEnclosingInstanceIsRefused() {
    assertError(
        withInnerBlock(
            "Tensor gate(Tensor t) { return torch.sigmoid(t).mul(t); }",
            "    public Tensor forward(Tensor x) {",
            "      return gate(relu.forward(x));",
            "    }"),
        "return gate(relu.forward(x));",
        enclosing("gate(relu.forward(x))"),
        ENCLOSING_FIX);
  }

  @Test
  void qualifiedThisOfTheRunningClassIsThis() {
    Compilation compilation =
        Traces.compile(
            withInnerBlock(
                "final double scale = 0.5;",
                "    public Tensor forward(Tensor x) {",
                "      return Block.this.relu.forward(x).mul(new Scalar(Block.this.scale));",
                "    }"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(Traces.names(compilation, "test.Net", "eval"))
        .containsExactly("x", "block.relu", "block.mul")
        .inOrder();
    // The inner block's own 2.0, not the model's 0.5.
    assertThat(Traces.generatedSource(compilation, "test.Net_FeatureGraph"))
        .contains("mul(new Scalar(2.0d))");
  }

  @Test
  void nonFinalStaticFieldReadInForwardIsRefused() {
    // Was traced with its compile-time value: Net.USE_TANH = true at run time was ignored.
    assertError(
        model(
            "  static boolean USE_TANH = false;",
            "  final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
            "  public Tensor forward(Tensor x) {",
            "    Tensor y = relu.forward(x);",
            "    if (USE_TANH) y = torch.tanh(y);",
            "    return y;",
            "  }"),
        "if (USE_TANH)",
        "forward reads the static field Net.USE_TANH, which is not final: the graph would keep the"
            + " value it has at compile time (the value false)",
        "make it static final, or an instance field of the model");
  }

  @Test
  void nonFinalStaticFieldOfAnotherClassReadInAHelperIsRefused() {
    JavaFileObject config =
        JavaFileObjects.forSourceString(
            "test.Config",
            "package test;\npublic class Config {\n  public static double gain = 2;\n}\n");
    JavaFileObject source =
        model(
            "  final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
            "  private static Scalar gain() { return new Scalar(Config.gain); }",
            "  public Tensor forward(Tensor x) { return relu.forward(x).mul(gain()); }");
    Compilation compilation = Traces.compile(source, config);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("forward reads the static field Config.gain, which is not final")
        .inFile(source)
        .onLineContaining("new Scalar(Config.gain)");
  }

  @Test
  void nonFinalStaticFieldsReadWhenBuildingOrInitialisingAreFollowed() {
    // A constructor's reads end up in the module tree or in instance fields, which the runtime
    // checks; a static final initialised from a non-final one keeps its value at class
    // initialisation, at run time as here.
    Compilation compilation =
        Traces.compile(
            model(
                "  static long width = 3;",
                "  static final long DOUBLED = width * 2;",
                "  final long copied;",
                "  final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
                "  public Net() { copied = width; }",
                "  public Tensor forward(Tensor x) {",
                "    return relu.forward(x).mul(new Scalar(DOUBLED + copied));",
                "  }"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(Traces.generatedSource(compilation, "test.Net_FeatureGraph"))
        .contains("new Scalar(9L)");
  }

  @Test
  void mutableFieldOfAnObjectHeldByAStaticFieldIsRefused() {
    // No field path from the model reaches OPTS, so its flag had no guard: Net.OPTS.tanh = true
    // at run time was ignored.
    assertError(
        model(
            "  static final class Opts { boolean tanh = false; }",
            "  static final Opts OPTS = new Opts();",
            "  final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
            "  public Tensor forward(Tensor x) {",
            "    Tensor y = relu.forward(x);",
            "    if (OPTS.tanh) y = torch.tanh(y);",
            "    return y;",
            "  }"),
        "if (OPTS.tanh)",
        "forward reads the field tanh of a Opts, an object made before forward that no field of the"
            + " model reaches (a static field holds it?); the field is not final, so the graph would"
            + " keep the value it has at compile time (the value false)",
        "make the field final, or keep the object in a field of the model");
  }

  @Test
  void objectsTheModelReachesOrForwardMakesAreFollowed() {
    // The model's own options object is guarded by its path; a final field cannot change; an
    // object forward makes is made again on each call.
    Compilation compilation =
        Traces.compile(
            model(
                "  static final class Opts { boolean tanh = true; final double gain = 3; }",
                "  static final Opts SHARED = new Opts();",
                "  final Opts opts = SHARED;",
                "  final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
                "  public Tensor forward(Tensor x) {",
                "    Tensor y = relu.forward(x).mul(new Scalar(SHARED.gain));",
                "    if (opts.tanh) y = torch.tanh(y);",
                "    Opts local = new Opts();",
                "    return local.tanh ? y.neg() : y;",
                "  }"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(Traces.names(compilation, "test.Net", "eval"))
        .containsExactly("x", "relu", "mul", "tanh", "neg")
        .inOrder();
  }
}
