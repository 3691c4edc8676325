package dev.featurex.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** What the tracer cannot follow: one compile error, on the construct, with the way out. */
class TraceErrorsTest {

  /** A {@code @Traceable} model with {@code members} in its body (a ReLU "relu" is registered). */
  private static JavaFileObject model(String... members) {
    return JavaFileObjects.forSourceString(
        "test.Net",
        String.join(
            "\n",
            "package test;",
            "import dev.featurex.annotations.Traceable;",
            "import java.util.function.UnaryOperator;",
            "import org.bytedeco.pytorch.Module;",
            "import org.bytedeco.pytorch.ReLUImpl;",
            "import org.bytedeco.pytorch.Tensor;",
            "@Traceable",
            "public class Net extends Module {",
            "  private final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
            String.join("\n", members),
            "}"));
  }

  private static void assertError(JavaFileObject source, String line, String... messages) {
    Compilation compilation = javac().withProcessors(new FeaturexProcessor()).compile(source);
    assertThat(compilation).hadErrorCount(1);
    for (String message : messages) {
      assertThat(compilation).hadErrorContaining(message).inFile(source).onLineContaining(line);
    }
  }

  @Test
  void loopWhoseBoundIsATensorValue() {
    assertError(
        model(
            "  public Tensor forward(Tensor x) {",
            "    for (long i = 0; i < x.size(0); i++) {",
            "      x = relu.forward(x);",
            "    }",
            "    return x;",
            "  }"),
        "for (long i = 0; i < x.size(0); i++)",
        "the loop condition \"i < x.size(0)\" depends on a tensor value",
        "(@LeafModule)");
  }

  @Test
  void callWhoseTargetCannotBeResolved() {
    assertError(
        model(
            "  public Tensor forward(Tensor x) {",
            "    relu.options();",
            "    return relu.forward(x);",
            "  }"),
        "relu.options();",
        "cannot follow the call \"relu.options()\": only forward, is_training and the parameters of"
            + " built-in modules are followed on modules in forward");
  }

  @Test
  void anonymousClassesAreNotFollowed() {
    assertError(
        model(
            "  private final UnaryOperator<Tensor> op = new UnaryOperator<>() {",
            "    public Tensor apply(Tensor t) { return t; }",
            "  };",
            "  public Tensor forward(Tensor x) {",
            "    return op.apply(relu.forward(x));",
            "  }"),
        "private final UnaryOperator<Tensor> op",
        "the tracer does not follow anonymous classes",
        "the model is built by running its constructor at compile time");
  }

  @Test
  void unknownMethodOnATensor() {
    JavaFileObject source =
        model("  public Tensor forward(Tensor x) {", "    return x.relu(42, 43, 44);", "  }");
    assertError(
        source,
        "return x.relu(42, 43, 44);",
        "cannot follow the call \"x.relu(42, 43, 44)\": no method Tensor.relu takes these arguments");
  }

  @Test
  void unsupportedStatement() {
    assertError(
        model(
            "  public Tensor forward(Tensor x) {",
            "    class Local {}",
            "    return relu.forward(x);",
            "  }"),
        "class Local {}",
        "the tracer does not follow the class \"class Local");
  }

  @Test
  void loopThatNeverEnds() {
    assertError(
        model(
            "  public Tensor forward(Tensor x) {",
            "    int n = 0;",
            "    while (n >= 0) { n = n % 7; }",
            "    return x;",
            "  }"),
        "while (n >= 0)",
        "tracing stopped after 5,000,000 steps: a loop that does not end?");
  }

  @Test
  void recursionWithoutEnd() {
    assertError(
        model(
            "  private Tensor again(Tensor x) { return again(x); }",
            "  public Tensor forward(Tensor x) {",
            "    return again(x);",
            "  }"),
        "private Tensor again(Tensor x) { return again(x); }",
        "tracing stopped at 200 nested calls: unbounded recursion?");
  }

  @Test
  void forwardThatReturnsNoTracedValue() {
    assertError(
        model("  public Tensor forward(Tensor x) {", "    return null;", "  }"),
        "public Tensor forward(Tensor x)",
        "forward must return a tensor computed from its inputs, or a record, object or list of"
            + " such tensors; it returns null");
  }

  @Test
  void forwardReturningARecordWithSomethingElse() {
    assertError(
        model(
            "  public record Out(Tensor logits, String label) {}",
            "  public Out forward(Tensor x) {",
            "    return new Out(x.neg(), \"cat\");",
            "  }"),
        "public Out forward(Tensor x)",
        "forward must return a tensor computed from its inputs, or a record, object or list of"
            + " such tensors; it returns a Out");
  }

  @Test
  void constructorThatThrows() {
    assertError(
        model(
            "  public Net() {",
            "    if (relu != null) throw new IllegalStateException(\"no\");",
            "  }",
            "  public Tensor forward(Tensor x) { return x; }"),
        "throw new IllegalStateException",
        "this code throws while being traced");
  }

  @Test
  void lambdaHeldInAFieldIsNotFollowedInForward() {
    // Was diagnosed as "traced values outside forward", on the lambda's body.
    assertError(
        model(
            "  private final UnaryOperator<Tensor> act = t -> t.relu().add(t);",
            "  public Tensor forward(Tensor x) {",
            "    return act.apply(relu.forward(x));",
            "  }"),
        "return act.apply(relu.forward(x));",
        "the tracer does not follow a lambda made when the model was built (held in a field) and"
            + " called in forward (\"act.apply(relu.forward(x))\"); declare the lambda in"
            + " forward, or write it as a method of the class");
  }

  @Test
  void streamOverAListIsNotFollowed() {
    // Was reported as an UnsupportedOperationException of an immutable list.
    assertError(
        model(
            "  private final java.util.List<ReLUImpl> acts = java.util.List.of(relu, relu);",
            "  public Tensor forward(Tensor x) {",
            "    return acts.stream().reduce(x, (t, a) -> a.forward(t), (p, q) -> q);",
            "  }"),
        "return acts.stream()",
        "the tracer does not follow streams over a List (\"acts.stream()\"); write a for loop");
  }
}
