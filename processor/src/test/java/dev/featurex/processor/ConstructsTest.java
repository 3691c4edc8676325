package dev.featurex.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * One small model per construct the tracer follows, the way people write it, with the node names it
 * gives (read from the processor's graph dump). The generated code of each compiles without
 * warnings.
 */
class ConstructsTest {

  private static final String IMPORTS =
      String.join(
          "\n",
          "package test;",
          "import dev.featurex.annotations.*;",
          "import java.util.*;",
          "import java.util.function.*;",
          "import org.bytedeco.javacpp.LongPointer;",
          "import org.bytedeco.pytorch.*;",
          "import org.bytedeco.pytorch.Module;",
          "import org.bytedeco.pytorch.global.torch;");

  /** Compiles {@code @Traceable public class Net extends Module { members }} and its names. */
  private static List<String> trace(String... members) {
    JavaFileObject source =
        JavaFileObjects.forSourceString(
            "test.Net",
            IMPORTS
                + "\n@Traceable\npublic class Net extends Module {\n"
                + String.join("\n", members)
                + "\n}\n");
    Compilation compilation = Traces.compile(source);
    assertThat(compilation).succeededWithoutWarnings();
    return Traces.names(compilation, "test.Net", "eval");
  }

  @Test
  void forwardReturningARecordOfTensors() {
    // torchvision's GoogLeNetOutputs: the output is every tensor the record holds (null skipped).
    assertThat(
            trace(
                "  public record Out(Tensor logits, Tensor aux, Tensor absent) {}",
                "  private final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
                "  public Out forward(Tensor x) {",
                "    Tensor y = relu.forward(x);",
                "    return new Out(y.neg(), y.abs(), null);",
                "  }"))
        .containsExactly("x", "relu", "neg", "abs")
        .inOrder();
  }

  @Test
  void lambdaThatBuildsModules() {
    assertThat(
            trace(
                "  private final BatchNorm2dImpl bn;",
                "  public Net() {",
                "    LongFunction<BatchNorm2dImpl> norm = c -> new BatchNorm2dImpl(new BatchNormOptions(c));",
                "    bn = register_module(\"bn\", norm.apply(8));",
                "  }",
                "  public Tensor forward(Tensor x) { return bn.forward(x); }"))
        .containsExactly("x", "bn")
        .inOrder();
  }

  @Test
  void constructorAndStaticMethodReferences() {
    assertThat(
            trace(
                "  private final BatchNorm2dImpl a;",
                "  private final ReLUImpl b;",
                "  static BatchNorm2dImpl norm(long c) { return new BatchNorm2dImpl(new BatchNormOptions(c)); }",
                "  public Net() { this(Net::norm, ReLUImpl::new); }",
                "  Net(LongFunction<BatchNorm2dImpl> norm, Supplier<ReLUImpl> act) {",
                "    a = register_module(\"a\", norm.apply(4));",
                "    b = register_module(\"b\", act.get());",
                "  }",
                "  public Tensor forward(Tensor x) { return b.forward(a.forward(x)); }"))
        .containsExactly("x", "a", "b")
        .inOrder();
  }

  @Test
  void lambdaCalledInForwardRunsInTheCallersScope() {
    assertThat(
            trace(
                "  private final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());",
                "  public Tensor forward(Tensor x) {",
                "    UnaryOperator<Tensor> twice = t -> relu.forward(relu.forward(t));",
                "    return twice.apply(x).neg();",
                "  }"))
        .containsExactly("x", "relu", "relu_1", "neg")
        .inOrder();
  }

  @Test
  void patternInstanceof() {
    assertThat(
            trace(
                "  private final List<Module> layers = new ArrayList<>();",
                "  public Net() {",
                "    layers.add(register_module(\"act\", new ReLUImpl()));",
                "    layers.add(register_module(\"fc\", new LinearImpl(4, 4)));",
                "  }",
                "  public Tensor forward(Tensor x) {",
                "    for (Module m : layers) {",
                "      if (m instanceof LinearImpl linear) { x = linear.forward(x); }",
                "      else if (m instanceof ReLUImpl relu) { x = relu.forward(x); }",
                "    }",
                "    return x;",
                "  }"))
        .containsExactly("x", "act", "fc")
        .inOrder();
  }

  @Test
  void recordsWithImplicitAndCompactConstructors() {
    assertThat(
            trace(
                "  record Stage(int blocks, long width) {",
                "    Stage { if (blocks < 1) throw new IllegalArgumentException(); }",
                "  }",
                "  record Head(long width) {}",
                "  private final List<LinearImpl> fcs = new ArrayList<>();",
                "  public Net() {",
                "    Stage[] stages = {new Stage(2, 4), new Stage(1, 4)};",
                "    int i = 0;",
                "    for (Stage s : stages) {",
                "      for (int b = 0; b < s.blocks(); b++) {",
                "        fcs.add(register_module(\"fc\" + i++, new LinearImpl(s.width(), new Head(s.width()).width())));",
                "      }",
                "    }",
                "  }",
                "  public Tensor forward(Tensor x) {",
                "    for (LinearImpl fc : fcs) { x = fc.forward(x); }",
                "    return x;",
                "  }"))
        .containsExactly("x", "fc0", "fc1", "fc2")
        .inOrder();
  }

  @Test
  void listOfAndToArrayInForward() {
    assertThat(
            trace(
                "  private final ReLUImpl a = register_module(\"a\", new ReLUImpl());",
                "  private final ReLUImpl b = register_module(\"b\", new ReLUImpl());",
                "  public Tensor forward(Tensor x) {",
                "    List<Tensor> parts = List.of(a.forward(x), b.forward(x));",
                "    return torch.cat(new TensorVector(parts.toArray(new Tensor[0])), 1);",
                "  }"))
        .containsExactly("x", "a", "b", "cat")
        .inOrder();
  }

  @Test
  void jdkHelpersOnKnownValues() {
    assertThat(
            trace(
                "  private final LinearImpl fc;",
                "  public Net() {",
                "    int[] widths = new int[3];",
                "    Arrays.fill(widths, 4);",
                "    long in = Arrays.stream(widths).sum();",
                "    long out = java.lang.Math.max(in / 2, 1);",
                "    fc = register_module(String.format(\"fc%d\", out), new LinearImpl(in, out));",
                "  }",
                "  public Tensor forward(Tensor x) { return fc.forward(x); }"))
        .containsExactly("x", "fc6")
        .inOrder();
  }

  @Test
  void namedPushBackAndPlainModuleContainers() {
    assertThat(
            trace(
                "  private final SequentialImpl seq = register_module(\"seq\", new SequentialImpl());",
                "  private final Module group = register_module(\"group\", new Module());",
                "  private final LinearImpl fc = group.register_module(\"fc\", new LinearImpl(4, 4));",
                "  private final ReLUImpl relu = new ReLUImpl();",
                "  public Net() { seq.push_back(\"act\", relu); }",
                "  public Tensor forward(Tensor x) { return fc.forward(seq.forward(x)); }"))
        .containsExactly("x", "seq.act", "group.fc")
        .inOrder();
  }

  @Test
  void parametersAreGetAttrNodesNamedAsTorchvisionNamesThem() {
    JavaFileObject block =
        JavaFileObjects.forSourceString(
            "test.Block",
            IMPORTS
                + "\npublic class Block extends Module {\n"
                + "  private final Tensor layerScale;\n"
                + "  private final Conv2dImpl conv = register_module(\"conv\", new Conv2dImpl(3, 3, new LongPointer(1L, 1L)));\n"
                + "  public Block() { layerScale = register_parameter(\"layer_scale\", torch.ones(3, 1, 1)); }\n"
                + "  public Tensor forward(Tensor x) {\n"
                + "    Tensor y = layerScale.mul(conv.forward(x));\n"
                + "    y = y.mul(layerScale);\n"
                + "    return y.add(conv.weight().sum());\n"
                + "  }\n"
                + "}\n");
    JavaFileObject net =
        JavaFileObjects.forSourceString(
            "test.Net",
            IMPORTS
                + "\n@Traceable\npublic class Net extends Module {\n"
                + "  private final Tensor tok = register_parameter(\"tok\", torch.zeros(1, 3, 1, 1));\n"
                + "  private final ModuleListImpl b = register_module(\"b\", new ModuleListImpl());\n"
                + "  private final List<Block> blocks = List.of(new Block(), new Block());\n"
                + "  public Net() { for (Block k : blocks) b.push_back(k); }\n"
                + "  public Tensor forward(Tensor x) {\n"
                + "    x = x.add(tok);\n"
                + "    for (Block k : blocks) x = k.forward(x);\n"
                + "    return x;\n"
                + "  }\n"
                + "}\n");
    Compilation compilation = Traces.compile(net, block);
    assertThat(compilation).succeededWithoutWarnings();
    // torchvision 0.14 for the same Python model (the parity script prints this list).
    assertThat(Traces.names(compilation, "test.Net", "eval"))
        .containsExactly(
            "x",
            "tok",
            "add",
            "b.0.b_0_layer_scale",
            "b.0.conv",
            "b.0.mul",
            "b.0.mul_1",
            "b.0.b_0_conv_weight",
            "b.0.sum",
            "b.0.add",
            "b.1.b_1_layer_scale",
            "b.1.conv",
            "b.1.mul",
            "b.1.mul_1",
            "b.1.b_1_conv_weight",
            "b.1.sum",
            "b.1.add")
        .inOrder();
  }

  @Test
  void buffersAreReadFromTheModelWithoutANode() {
    assertThat(
            trace(
                "  private final Tensor mean = register_buffer(\"mean\", torch.zeros(3, 1, 1));",
                "  public Tensor forward(Tensor x) { return x.sub(mean).relu(); }"))
        .containsExactly("x", "sub", "relu")
        .inOrder();
  }

  @Test
  void superForwardRunsTheParentsCode() {
    JavaFileObject base =
        JavaFileObjects.forSourceString(
            "test.Base",
            IMPORTS
                + "\npublic class Base extends Module {\n"
                + "  protected final ReLUImpl relu = register_module(\"relu\", new ReLUImpl());\n"
                + "  public Tensor forward(Tensor x) { return relu.forward(x); }\n"
                + "}\n");
    JavaFileObject net =
        JavaFileObjects.forSourceString(
            "test.Net",
            IMPORTS
                + "\n@Traceable\npublic class Net extends Base {\n"
                + "  @Override public Tensor forward(Tensor x) { return super.forward(x).neg(); }\n"
                + "}\n");
    Compilation compilation = Traces.compile(net, base);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(Traces.names(compilation, "test.Net", "eval"))
        .containsExactly("x", "relu", "neg")
        .inOrder();
  }

  @Test
  void enumsWithValuesNameAndOrdinal() {
    assertThat(
            trace(
                "  enum Act { RELU, GELU }",
                "  private final List<Module> acts = new ArrayList<>();",
                "  public Net() {",
                "    for (Act a : Act.values()) {",
                "      Module m = a == Act.RELU ? new ReLUImpl() : new GELUImpl();",
                "      acts.add(register_module(a.name().toLowerCase() + a.ordinal(), m));",
                "    }",
                "  }",
                "  public Tensor forward(Tensor x) {",
                "    return ((GELUImpl) acts.get(1)).forward(((ReLUImpl) acts.get(0)).forward(x));",
                "  }"))
        .containsExactly("x", "relu0", "gelu1")
        .inOrder();
  }

  @Test
  void sizesAreTracedLongs() {
    assertThat(
            trace(
                "  public Tensor forward(Tensor x) {",
                "    long n = x.size(0);",
                "    return x.view(n, -1).mul(new Scalar(n * 2));",
                "  }"))
        .containsExactly("x", "size", "view", "mul", "mul_1")
        .inOrder();
  }
}
