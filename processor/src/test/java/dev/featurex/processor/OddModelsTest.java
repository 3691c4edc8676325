package dev.featurex.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A robustness suite: odd model sources, each compiled with the processor. Each must end in a clear
 * error on the line it is about, or in a compilation whose generated code compiles; never an
 * exception out of the processor ("featurex failed on ..."), never a javac crash, never more than a
 * minute.
 */
class OddModelsTest {

  /**
   * One odd model: members of {@code @Traceable public class Net extends Module}, and either null
   * (it must compile) or the text of the one error it must give and the line it must be on.
   */
  record Case(String name, String members, String error, String line) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case ok(String name, String members) {
    return new Case(name, members, null, null);
  }

  private static Case error(String name, String members, String error, String line) {
    return new Case(name, members, error, line);
  }

  private static final String RELU =
      "  private final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());\n";

  static Stream<Case> cases() {
    return Stream.of(
        ok(
            "empty forward body that returns its input",
            "public Tensor forward(Tensor x) { return x; }"),
        ok(
            "forward returning a parameter",
            "private final Tensor w = register_parameter(\"w\", torch.ones(2));\npublic Tensor forward(Tensor x) { return w; }"),
        ok(
            "two inputs, one unused",
            RELU + "public Tensor forward(Tensor a, Tensor b) { return relu.forward(a); }"),
        ok(
            "deeply nested parentheses",
            RELU
                + "public Tensor forward(Tensor x) { return "
                + "(".repeat(200)
                + "relu.forward(x)"
                + ")".repeat(200)
                + "; }"),
        ok(
            "a loop that runs zero times",
            RELU
                + "public Tensor forward(Tensor x) { for (int i = 0; i < 0; i++) { x = relu.forward(x); } return x; }"),
        ok(
            "labelled break out of nested loops",
            RELU
                + "public Tensor forward(Tensor x) { outer: for (int i = 0; i < 3; i++) { for (int j = 0; j < 3; j++) { if (j == 1) break outer; x = relu.forward(x); } } return x; }"),
        ok(
            "switch expression choosing an op",
            "public Tensor forward(Tensor x) { int k = 2; return switch (k) { case 1 -> x.relu(); case 2 -> x.neg(); default -> x; }; }"),
        ok(
            "a module registered under two names",
            RELU
                + "public Net() { register_module(\"again\", relu); }\npublic Tensor forward(Tensor x) { return relu.forward(x); }"),
        ok(
            "unicode module names",
            "private final ReLUImpl a = register_module(\"αβγ\", new ReLUImpl());\nprivate final ReLUImpl b = register_module(\"δεζ\", new ReLUImpl());\npublic Tensor forward(Tensor x) { return b.forward(a.forward(x)); }"),
        ok(
            "names that differ only by punctuation",
            "private final ReLUImpl a = register_module(\"a_b\", new ReLUImpl());\nprivate final ReLUImpl b = register_module(\"a-b\", new ReLUImpl());\npublic Tensor forward(Tensor x) { return b.forward(a.forward(x)); }"),
        ok(
            "a module name with a comment terminator and a backslash-u",
            "private final ReLUImpl a = register_module(\"*/ \\\\u000a\", new ReLUImpl());\npublic Tensor forward(Tensor x) { return a.forward(x); }"),
        ok(
            "a name with regex metacharacters",
            "private final ReLUImpl a = register_module(\"(x*a){9}+\", new ReLUImpl());\npublic Tensor forward(Tensor x) { return a.forward(a.forward(x)); }"),
        ok(
            "a static helper with varargs",
            "static Tensor first(Tensor... t) { return t[0]; }\npublic Tensor forward(Tensor x) { return first(x.relu(), x.neg()); }"),
        ok(
            "a generic helper",
            "static <T> T same(T t) { return t; }\npublic Tensor forward(Tensor x) { return same(x).relu(); }"),
        ok(
            "a static nested configuration class",
            "static final class Cfg { final int n; Cfg(int n) { this.n = n; } }\nprivate final Cfg cfg = new Cfg(3);\npublic Tensor forward(Tensor x) { for (int i = 0; i < cfg.n; i++) x = x.relu(); return x; }"),
        ok(
            "an is_training branch",
            "public Tensor forward(Tensor x) { return is_training() ? x.relu() : x.neg(); }"),
        ok(
            "a guard with a message",
            "public Tensor forward(Tensor x) { if (x.size(0) < 1) throw new IllegalStateException(\"empty batch: \" + x.size(0)); return x.relu(); }"),
        ok(
            "a try-finally in forward",
            "public Tensor forward(Tensor x) { try { x = x.relu(); } finally { x = x.neg(); } return x; }"),
        ok(
            "string switch in a constructor",
            RELU
                + "public Net() { String k = \"b\"; switch (k) { case \"a\": register_module(\"x1\", new ReLUImpl()); break; default: register_module(\"x2\", new ReLUImpl()); } }\npublic Tensor forward(Tensor x) { return relu.forward(x); }"),
        ok(
            "a record holding sizes",
            "record Dims(long in, long out) {}\nprivate final LinearImpl fc = register_module(\"fc\", new LinearImpl(new Dims(4, 2).in(), new Dims(4, 2).out()));\npublic Tensor forward(Tensor x) { return fc.forward(x); }"),
        ok(
            "a forward that reads a compile-time constant",
            "static final double SCALE = 0.5;\npublic Tensor forward(Tensor x) { return x.mul(new Scalar(SCALE)); }"),
        ok(
            "a traced long used as an argument",
            "public Tensor forward(Tensor x) { return x.view(x.size(0), -1); }"),
        error(
            "branch on a traced value",
            "public Tensor forward(Tensor x) { if (x.size(0) > 1) { x = x.relu(); } return x; }",
            "depends on a tensor value",
            "if (x.size(0) > 1)"),
        error(
            "loop bound on a traced value",
            "public Tensor forward(Tensor x) { for (long i = 0; i < x.size(0); i++) x = x.relu(); return x; }",
            "depends on a tensor value",
            "for (long i = 0"),
        error(
            "a throw in a constructor",
            "public Net() { throw new IllegalStateException(\"no\"); }\npublic Tensor forward(Tensor x) { return x; }",
            "throws while being traced",
            "throw new IllegalStateException"),
        error(
            "array index out of bounds in a constructor",
            "public Net() { int[] a = new int[2]; int b = a[5]; }\npublic Tensor forward(Tensor x) { return x; }",
            "index 5 out of bounds for length 2",
            "int b = a[5]"),
        error(
            "division by zero in a constructor",
            "public Net() { int z = 0; int b = 1 / z; }\npublic Tensor forward(Tensor x) { return x; }",
            "division by zero",
            "int b = 1 / z"),
        error(
            "a negative array size",
            "public Net() { int[] a = new int[-1]; }\npublic Tensor forward(Tensor x) { return x; }",
            "an array size of -1 is not allowed",
            "new int[-1]"),
        error(
            "a huge array size",
            "public Net() { long[] a = new long[2_000_000_000]; }\npublic Tensor forward(Tensor x) { return x; }",
            "is not allowed",
            "new long[2_000_000_000]"),
        error(
            "an endless loop in a constructor",
            "public Net() { while (true) { } }\npublic Tensor forward(Tensor x) { return x; }",
            "tracing stopped after 5,000,000 steps",
            "while (true)"),
        error(
            "unbounded recursion in a helper",
            "static int f(int n) { return f(n + 1); }\npublic Net() { f(0); }\npublic Tensor forward(Tensor x) { return x; }",
            "tracing stopped at 200 nested calls",
            "static int f(int n)"),
        error(
            "an anonymous class",
            "private final Object o = new Object() {};\npublic Tensor forward(Tensor x) { return x; }",
            "anonymous classes",
            "new Object() {}"),
        error(
            "a local class",
            "public Tensor forward(Tensor x) { class L {} return x; }",
            "the tracer does not follow the class",
            "class L {}"),
        error(
            "an unregistered module",
            "private final ReLUImpl relu = new ReLUImpl();\npublic Tensor forward(Tensor x) { return relu.forward(x); }",
            "is used in forward but was never registered",
            "return relu.forward(x)"),
        error(
            "registering in forward",
            "public Tensor forward(Tensor x) { register_module(\"late\", new ReLUImpl()); return x; }",
            "registering modules in forward",
            "register_module(\"late\""),
        error(
            "a duplicate submodule name",
            RELU
                + "public Net() { register_module(\"relu\", new ReLUImpl()); }\npublic Tensor forward(Tensor x) { return x; }",
            "is already registered",
            "public Net() { register_module"),
        error(
            "a dotted submodule name",
            "public Net() { register_module(\"a.b\", new ReLUImpl()); }\npublic Tensor forward(Tensor x) { return x; }",
            "must be non-empty and contain no '.'",
            "register_module(\"a.b\""),
        error(
            "forward returning null",
            "public Tensor forward(Tensor x) { return null; }",
            "forward must return a tensor computed from its inputs",
            "public Tensor forward"),
        error(
            "forward returning a constant tensor",
            "public Tensor forward(Tensor x) { return torch.ones(2); }",
            "forward must return a tensor computed from its inputs",
            "public Tensor forward"),
        error(
            "a tensor made in the constructor and not registered",
            "private final Tensor w = torch.ones(2);\npublic Tensor forward(Tensor x) { return x.mul(w); }",
            "without being registered",
            "return x.mul(w)"),
        error(
            "a native object changed and then used in forward",
            "private final Scalar s = new Scalar(2);\npublic Net() { s.toDouble(); }\npublic Tensor forward(Tensor x) { return x.mul(s); }",
            "that generated code cannot re-create",
            "return x.mul(s)"),
        error(
            "a primitive cast of a traced value",
            "public Tensor forward(Tensor x) { int n = (int) x.size(0); return x.view(n, -1); }",
            "a primitive cast of a traced value",
            "int n = (int) x.size(0)"),
        error(
            "a string built from a traced value",
            "public Tensor forward(Tensor x) { String s = \"n=\" + x.size(0); return x; }",
            "a string concatenation with a traced value",
            "String s = \"n=\""),
        error(
            "an unknown Tensor method",
            "public Tensor forward(Tensor x) { return x.noSuchMethod(); }",
            "no method Tensor.noSuchMethod",
            "x.noSuchMethod()"),
        error(
            "System.exit in a constructor",
            "public Net() { System.exit(1); }\npublic Tensor forward(Tensor x) { return x; }",
            "cannot follow the call \"System.exit(1)\"",
            "System.exit(1)"),
        error(
            "reading a file in a constructor",
            "public Net() { java.nio.file.Files.readAllLines(java.nio.file.Path.of(\"/etc/passwd\")); }\npublic Tensor forward(Tensor x) { return x; }",
            "cannot follow the call",
            "readAllLines"),
        error(
            "a thread in a constructor",
            "public Net() { new Thread(() -> {}).start(); }\npublic Tensor forward(Tensor x) { return x; }",
            "creating a Thread",
            "new Thread"),
        error(
            "a module method other than forward in forward",
            RELU + "public Tensor forward(Tensor x) { relu.reset(); return relu.forward(x); }",
            "cannot follow the call",
            "relu.reset()"),
        error(
            "a guard that throws a checked exception",
            "public Tensor forward(Tensor x) throws Exception { if (x.size(0) < 1) throw new Exception(\"no\"); return x; }",
            "a guard throws a JDK unchecked exception",
            "throw new Exception"),
        error(
            "an if-else on a traced value with a throw",
            "public Tensor forward(Tensor x) { if (x.size(0) < 1) { throw new IllegalStateException(); } else { x = x.neg(); } return x; }",
            "depends on a tensor value",
            "if (x.size(0) < 1)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void endsWellWithinAMinute(Case c) {
    JavaFileObject source =
        JavaFileObjects.forSourceString(
            "test.Net",
            String.join(
                "\n",
                "package test;",
                "import dev.featurex.annotations.*;",
                "import org.bytedeco.pytorch.*;",
                "import org.bytedeco.pytorch.Module;",
                "import org.bytedeco.pytorch.global.torch;",
                "@Traceable",
                "public class Net extends Module {",
                c.members(),
                "}"));
    Compilation compilation =
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Traces.compile(source));
    List<String> errors =
        compilation.diagnostics().stream()
            .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
            .map(d -> d.getMessage(null))
            .toList();
    assertWithMessage("no processor failure")
        .that(String.join("\n", errors))
        .doesNotContain("featurex failed on");
    if (c.error() == null) {
      assertWithMessage("errors of %s", c).that(errors).isEmpty();
      assertThat(Traces.nodes(compilation, "test.Net")).isNotEmpty();
    } else {
      com.google.testing.compile.CompilationSubject.assertThat(compilation).hadErrorCount(1);
      com.google.testing.compile.CompilationSubject.assertThat(compilation)
          .hadErrorContaining(c.error())
          .inFile(source)
          .onLineContaining(c.line());
    }
  }
}
