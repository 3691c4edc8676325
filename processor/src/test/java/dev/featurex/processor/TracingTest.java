package dev.featurex.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The tracer on small models, compiled with the processor (libtorch is never loaded). */
class TracingTest {

  private static Compilation compile(JavaFileObject... sources) {
    return Traces.compile(sources);
  }

  private static List<String> names(Compilation compilation, String model, String mode) {
    return Traces.names(compilation, model, mode);
  }

  private static final String SUBMODULE =
      String.join(
          "\n",
          "package test;",
          "import org.bytedeco.pytorch.Module;",
          "import org.bytedeco.pytorch.ReLUImpl;",
          "import org.bytedeco.pytorch.Scalar;",
          "import org.bytedeco.pytorch.Tensor;",
          "public class TestSubModule extends Module {",
          "  private final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
          "  public Tensor forward(Tensor x) {",
          "    x = x.add(new Scalar(1));",
          "    x = x.add(new Scalar(1));",
          "    x = relu.forward(x);",
          "    x = relu.forward(x);",
          "    return x;",
          "  }",
          "}");

  @Test
  void torchvisionsTestModuleGivesTorchvisionsNames() throws IOException {
    JavaFileObject top =
        JavaFileObjects.forSourceString(
            "test.TestModule",
            String.join(
                "\n",
                "package test;",
                "import dev.featurex.annotations.Traceable;",
                "import org.bytedeco.pytorch.Module;",
                "import org.bytedeco.pytorch.ReLUImpl;",
                "import org.bytedeco.pytorch.Scalar;",
                "import org.bytedeco.pytorch.Tensor;",
                "@Traceable",
                "public class TestModule extends Module {",
                "  private final TestSubModule submodule = register_module(\"submodule\", new TestSubModule());",
                "  private final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
                "  public Tensor forward(Tensor x) {",
                "    x = submodule.forward(x);",
                "    x = x.add(new Scalar(1));",
                "    x = x.add(new Scalar(1));",
                "    x = relu.forward(x);",
                "    x = relu.forward(x);",
                "    return x;",
                "  }",
                "}"));
    Compilation compilation =
        compile(top, JavaFileObjects.forSourceString("test.TestSubModule", SUBMODULE));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(names(compilation, "test.TestModule", "train"))
        .containsExactly(
            "x",
            "submodule.add",
            "submodule.add_1",
            "submodule.relu",
            "submodule.relu_1",
            "add",
            "add_1",
            "relu",
            "relu_1")
        .inOrder();
  }

  @Test
  void isTrainingBranchGivesDifferentGraphsAndTorchvisionsWarning() throws IOException {
    JavaFileObject model =
        JavaFileObjects.forSourceString(
            "test.Branchy",
            String.join(
                "\n",
                "package test;",
                "import dev.featurex.annotations.ExtractFeatures;",
                "import org.bytedeco.pytorch.DropoutImpl;",
                "import org.bytedeco.pytorch.Module;",
                "import org.bytedeco.pytorch.Scalar;",
                "import org.bytedeco.pytorch.Tensor;",
                "@ExtractFeatures(\"dropout:out\")",
                "public class Branchy extends Module {",
                "  private final DropoutImpl dropout = register_module(\"dropout\", new DropoutImpl(1.0));",
                "  public Tensor forward(Tensor x) {",
                "    x = dropout.forward(x);",
                "    if (is_training()) {",
                "      x = x.add(new Scalar(100));",
                "    } else {",
                "      x = x.mul(new Scalar(0));",
                "    }",
                "    return x.sub(new Scalar(0));",
                "  }",
                "}"));
    Compilation compilation = compile(model);
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .hadWarningContaining(
            "The nodes obtained by tracing the model in train mode are different to those obtained in eval mode.");
    assertThat(names(compilation, "test.Branchy", "train"))
        .containsExactly("x", "dropout", "add", "sub")
        .inOrder();
    assertThat(names(compilation, "test.Branchy", "eval"))
        .containsExactly("x", "dropout", "mul", "sub")
        .inOrder();
  }

  @Test
  void branchOnATensorIsAnErrorOnTheCondition() {
    JavaFileObject model =
        JavaFileObjects.forSourceString(
            "test.Bad",
            String.join(
                "\n",
                "package test;",
                "import dev.featurex.annotations.Traceable;",
                "import org.bytedeco.pytorch.Module;",
                "import org.bytedeco.pytorch.Tensor;",
                "@Traceable",
                "public class Bad extends Module {",
                "  public Tensor forward(Tensor x) {",
                "    if (x.size(0) > 1) {",
                "      return x.relu();",
                "    }",
                "    return x;",
                "  }",
                "}"));
    Compilation compilation = compile(model);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("depends on a tensor value")
        .inFile(model)
        .onLineContaining("if (x.size(0) > 1)");
  }

  @Test
  void unregisteredModuleIsAnErrorOnTheCall() {
    JavaFileObject model =
        JavaFileObjects.forSourceString(
            "test.Unregistered",
            String.join(
                "\n",
                "package test;",
                "import dev.featurex.annotations.Traceable;",
                "import org.bytedeco.pytorch.Module;",
                "import org.bytedeco.pytorch.ReLUImpl;",
                "import org.bytedeco.pytorch.Tensor;",
                "@Traceable",
                "public class Unregistered extends Module {",
                "  private final ReLUImpl relu = new ReLUImpl();",
                "  public Tensor forward(Tensor x) {",
                "    return relu.forward(x);",
                "  }",
                "}"));
    Compilation compilation = compile(model);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "module \"relu\" (ReLUImpl) is used in forward but was never registered")
        .inFile(model)
        .onLineContaining("return relu.forward(x);");
  }

  @Test
  void misspelledNodeIsAnErrorWithTheClosestNames() {
    JavaFileObject model =
        JavaFileObjects.forSourceString(
            "test.Net",
            String.join(
                "\n",
                "package test;",
                "import dev.featurex.annotations.ExtractFeatures;",
                "import org.bytedeco.pytorch.Module;",
                "import org.bytedeco.pytorch.ReLUImpl;",
                "import org.bytedeco.pytorch.Tensor;",
                "@ExtractFeatures({\"sub.rleu\"})",
                "public class Net extends Module {",
                "  private final TestSubModule sub = register_module(\"sub\", new TestSubModule());",
                "  public Tensor forward(Tensor x) {",
                "    return sub.forward(x);",
                "  }",
                "}"));
    Compilation compilation =
        compile(model, JavaFileObjects.forSourceString("test.TestSubModule", SUBMODULE));
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "@ExtractFeatures node \"sub.rleu\" is not present in Net; did you mean \"sub.relu\"")
        .inFile(model)
        .onLineContaining("@ExtractFeatures({\"sub.rleu\"})");
  }

  @Test
  void leafModuleIsOneNode() throws IOException {
    JavaFileObject leaf =
        JavaFileObjects.forSourceString(
            "test.Odd",
            String.join(
                "\n",
                "package test;",
                "import dev.featurex.annotations.LeafModule;",
                "import org.bytedeco.pytorch.Module;",
                "import org.bytedeco.pytorch.Tensor;",
                "@LeafModule",
                "public class Odd extends Module {",
                "  public Tensor forward(Tensor x) {",
                "    if (x.size(0) > 1) { return x.relu(); }",
                "    return x;",
                "  }",
                "}"));
    JavaFileObject model =
        JavaFileObjects.forSourceString(
            "test.UsesLeaf",
            String.join(
                "\n",
                "package test;",
                "import dev.featurex.annotations.Traceable;",
                "import org.bytedeco.pytorch.Module;",
                "import org.bytedeco.pytorch.Tensor;",
                "@Traceable(leafModules = TestSubModule.class)",
                "public class UsesLeaf extends Module {",
                "  private final Odd odd = register_module(\"odd\", new Odd());",
                "  private final TestSubModule sub = register_module(\"sub\", new TestSubModule());",
                "  public Tensor forward(Tensor x) {",
                "    return sub.forward(odd.forward(x));",
                "  }",
                "}"));
    Compilation compilation =
        compile(model, leaf, JavaFileObjects.forSourceString("test.TestSubModule", SUBMODULE));
    assertThat(compilation).succeeded();
    assertThat(names(compilation, "test.UsesLeaf", "eval"))
        .containsExactly("x", "odd", "sub")
        .inOrder();
  }

  @Test
  void moduleWithoutSourceIsALeafWithANote(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path classes) throws IOException {
    Compilation library =
        javac()
            .compile(
                JavaFileObjects.forSourceString(
                    "lib.Compiled",
                    String.join(
                        "\n",
                        "package lib;",
                        "import org.bytedeco.pytorch.Module;",
                        "import org.bytedeco.pytorch.Tensor;",
                        "public class Compiled extends Module {",
                        "  public Tensor forward(Tensor x) { return x.relu(); }",
                        "}")));
    assertThat(library).succeeded();
    for (JavaFileObject file : library.generatedFiles()) {
      java.nio.file.Path target = classes.resolve("lib/Compiled.class");
      java.nio.file.Files.createDirectories(target.getParent());
      try (var in = file.openInputStream()) {
        java.nio.file.Files.copy(in, target);
      }
    }
    JavaFileObject model =
        JavaFileObjects.forSourceString(
            "test.UsesCompiled",
            String.join(
                "\n",
                "package test;",
                "import dev.featurex.annotations.Traceable;",
                "import lib.Compiled;",
                "import org.bytedeco.pytorch.Module;",
                "import org.bytedeco.pytorch.Tensor;",
                "@Traceable",
                "public class UsesCompiled extends Module {",
                "  private final Compiled inner = register_module(\"inner\", new Compiled());",
                "  public Tensor forward(Tensor x) { return inner.forward(x); }",
                "}"));
    List<java.io.File> classpath = new ArrayList<>();
    classpath.add(classes.toFile());
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      classpath.add(new java.io.File(entry));
    }
    Compilation compilation = Traces.javac().withClasspath(classpath).compile(model);
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .hadNoteContaining("lib.Compiled is a leaf module: its source is not in this compilation");
    assertThat(names(compilation, "test.UsesCompiled", "eval"))
        .containsExactly("x", "inner")
        .inOrder();
  }

  @Test
  void javaAsPeopleWriteIt() throws IOException {
    JavaFileObject model =
        JavaFileObjects.forSourceString(
            "test.Zoo",
            String.join(
                "\n",
                "package test;",
                "import static org.bytedeco.pytorch.global.torch.flatten;",
                "import dev.featurex.annotations.Traceable;",
                "import java.util.ArrayList;",
                "import java.util.List;",
                "import org.bytedeco.pytorch.LinearImpl;",
                "import org.bytedeco.pytorch.Module;",
                "import org.bytedeco.pytorch.ReLUImpl;",
                "import org.bytedeco.pytorch.Tensor;",
                "import org.bytedeco.pytorch.TensorVector;",
                "import org.bytedeco.pytorch.global.torch;",
                "@Traceable(factories = {\"wide\", \"narrow\"})",
                "public class Zoo extends Module {",
                "  abstract static class Branch extends Module {",
                "    final LinearImpl fc;",
                "    Branch(int width) { fc = register_module(\"fc\", new LinearImpl(width, width)); }",
                "    abstract Tensor activate(Tensor x);",
                "    public Tensor forward(Tensor x) { return activate(fc.forward(x)); }",
                "  }",
                "  static final class Plain extends Branch {",
                "    Plain(int width) { super(width); }",
                "    @Override Tensor activate(Tensor x) { return x; }",
                "  }",
                "  static final class Rectified extends Branch {",
                "    private final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
                "    Rectified(int width) { super(width); }",
                "    @Override Tensor activate(Tensor x) { return relu.forward(x); }",
                "  }",
                "  private final List<Branch> branches = new ArrayList<>();",
                "  private Zoo(int count, int width) {",
                "    for (int i = 0; i < count; i++) {",
                "      Branch b = i % 2 == 0 ? new Rectified(width) : new Plain(width);",
                "      branches.add(register_module(\"branch\" + i, b));",
                "    }",
                "  }",
                "  public static Zoo wide() { return new Zoo(3, 4); }",
                "  public static Zoo narrow() { return new Zoo(1, 4); }",
                "  public Tensor forward(Tensor x) {",
                "    List<Tensor> outs = new ArrayList<>();",
                "    for (Branch b : branches) {",
                "      outs.add(b.forward(x));",
                "    }",
                "    Tensor y = outs.size() == 1 ? outs.get(0) : torch.cat(new TensorVector(outs.get(0), outs.get(1)), 1);",
                "    return flatten(y, 1, -1);",
                "  }",
                "}"));
    Compilation compilation = compile(model);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(Traces.names(compilation, "test.Zoo", "narrow()", "eval"))
        .containsExactly("x", "branch0.fc", "branch0.relu", "flatten")
        .inOrder();
    assertThat(names(compilation, "test.Zoo", "train"))
        .containsExactly(
            "x",
            "branch0.fc",
            "branch0.relu",
            "branch1.fc",
            "branch2.fc",
            "branch2.relu",
            "cat",
            "flatten")
        .inOrder();
  }

  @Test
  void switchesOnKnownValues() throws IOException {
    JavaFileObject model =
        JavaFileObjects.forSourceString(
            "test.Switchy",
            String.join(
                "\n",
                "package test;",
                "import dev.featurex.annotations.Traceable;",
                "import org.bytedeco.pytorch.Module;",
                "import org.bytedeco.pytorch.ReLUImpl;",
                "import org.bytedeco.pytorch.Tensor;",
                "@Traceable(factories = \"small\")",
                "public class Switchy extends Module {",
                "  enum Act { RELU, NONE, TWICE }",
                "  private final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
                "  private final Act act;",
                "  private final int depth;",
                "  private Switchy(String size, Act act) {",
                "    this.act = act;",
                "    int d;",
                "    switch (size) {",
                "      case \"small\": d = 1; break;",
                "      case \"medium\":",
                "      case \"large\": d = 3; break;",
                "      default: throw new IllegalArgumentException(size);",
                "    }",
                "    depth = switch (d) { case 1 -> 2; default -> { int x = d * 2; yield x; } };",
                "  }",
                "  public static Switchy small() { return new Switchy(\"small\", Act.TWICE); }",
                "  public Tensor forward(Tensor x) {",
                "    for (int i = 0; i < depth; i++) {",
                "      switch (act) {",
                "        case TWICE:",
                "          x = relu.forward(x);",
                "        case RELU:",
                "          x = relu.forward(x);",
                "          break;",
                "        case NONE:",
                "          break;",
                "      }",
                "    }",
                "    return x;",
                "  }",
                "}"));
    Compilation compilation = compile(model);
    assertThat(compilation).succeededWithoutWarnings();
    // depth 2, and TWICE falls through to RELU: four calls of relu.
    assertThat(names(compilation, "test.Switchy", "eval"))
        .containsExactly("x", "relu", "relu_1", "relu_2", "relu_3")
        .inOrder();
  }
}
