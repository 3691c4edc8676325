package dev.featurex.processor.generate;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeSpec;
import dev.featurex.graph.InferencePlan;
import dev.featurex.graph.NodeTraits;
import dev.featurex.processor.model.Arg;
import dev.featurex.processor.model.Call;
import dev.featurex.processor.model.TracedGraph;
import dev.featurex.processor.model.TracedNode;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntFunction;
import javax.lang.model.element.Modifier;

/**
 * The inference path of a typed extractor: its eval plan with every optimization ({@link
 * InferencePlan}, decided here, at compile time) as straight-line code in {@code forwardInference},
 * and the field it reads, the extractor's {@code InferenceState} (optimizations, folded weights,
 * max-pooling layouts, convolution kernels).
 *
 * <pre>{@code
 * try (FeatureScope scope = FeatureScope.open(this.inference.optimizations())) {
 *   // conv1 and bn1, folded
 *   Tensor bn1 = this.inference.folded(0, x);
 *   Tensor relu = scope.inPlace() ? InPlace.relu(bn1) : this.relu.forward(bn1);
 *   scope.freeReplaced(bn1, relu);
 *   Tensor maxpool = this.inference.maxPool(0, relu);
 *   scope.free(relu);
 *   ...
 * }</pre>
 *
 * <p>Each optimization can still be off at run time ({@code Optimization}): folds then run
 * unfolded, max poolings and convolutions as the modules run them, {@code scope.inPlace()} picks the node's own call,
 * {@code scope.free} does nothing. The
 * plan stays correct in every combination: a value freed after its last use is dead whether or not
 * an in-place node wrote into it.
 */
final class InferenceWriter {

  static final ClassName OPTIMIZATIONS = ClassName.get(JavaTypes.INTERNAL, "Optimizations");
  static final ClassName STATE = ClassName.get(JavaTypes.INTERNAL, "InferenceState");
  static final ClassName OPTIMIZATION = ClassName.get("dev.featurex.runtime", "Optimization");
  static final ClassName CONV2D = ClassName.get("org.bytedeco.pytorch", "Conv2dImpl");
  static final ClassName BATCH_NORM2D = ClassName.get("org.bytedeco.pytorch", "BatchNorm2dImpl");
  static final ClassName MAX_POOL2D = ClassName.get("org.bytedeco.pytorch", "MaxPool2dImpl");

  private final TracedGraph graph;
  private final InferencePlan plan;
  private final BitSet pools;
  private final BitSet convolutions;
  private final int[] outputs;
  private final String state;

  private InferenceWriter(
      TracedGraph graph,
      InferencePlan plan,
      BitSet pools,
      BitSet convolutions,
      int[] outputs,
      String state) {
    this.graph = graph;
    this.plan = plan;
    this.pools = pools;
    this.convolutions = convolutions;
    this.outputs = outputs;
    this.state = state;
  }

  /**
   * The writer of {@code graph}'s inference path for {@code outputs}, with field names reserved in
   * {@code fields}; null when every optimization together changes nothing (then the extractor has
   * no inference path).
   */
  static InferenceWriter of(TracedGraph graph, int[] outputs, NameAllocator fields) {
    List<NodeTraits> traits = Traits.of(graph);
    InferencePlan plan =
        InferencePlan.of(graph.graph(), traits, outputs, InferencePlan.Options.ALL);
    BitSet pools = new BitSet();
    BitSet convolutions = new BitSet();
    for (int k = 0; k < plan.size(); k++) {
      NodeTraits.Role role = traits.get(plan.node(k)).role();
      if (role == NodeTraits.Role.MAX_POOL) {
        pools.set(k);
      } else if (role == NodeTraits.Role.CONVOLUTION && plan.foldedConvolution(k) < 0) {
        convolutions.set(k);
      }
    }
    if (plan.isPlain() && pools.isEmpty() && convolutions.isEmpty()) {
      return null;
    }
    return new InferenceWriter(
        graph, plan, pools, convolutions, outputs, fields.newName("inference", "inference"));
  }

  /** The number of statements of {@code forwardInference}, to keep it far below 64 KB. */
  int statements() {
    int count = 0;
    for (int k = 0; k < plan.size(); k++) {
      count += 1 + (plan.overwritten(k) >= 0 ? 1 : 0) + plan.freedAfter(k).length;
    }
    return count;
  }

  /** The name of the {@code InferenceState} field. */
  String stateField() {
    return state;
  }

  /**
   * Declares the {@code InferenceState} field and sets it in {@code constructor}, whose {@code
   * optimizations} parameter is a {@code Set<Optimization>}; the modules are bound in {@code
   * bound}.
   */
  void addFields(TypeSpec.Builder type, MethodSpec.Builder constructor, Bound bound) {
    type.addField(FieldSpec.builder(STATE, state, Modifier.PRIVATE, Modifier.FINAL).build());
    CodeBlock convolutions =
        plan.folds().stream().map(pair -> module(bound, pair[0])).collect(CodeBlock.joining(", "));
    CodeBlock norms =
        plan.folds().stream().map(pair -> module(bound, pair[1])).collect(CodeBlock.joining(", "));
    CodeBlock poolings = modules(pools, bound);
    CodeBlock unfolded = modules(this.convolutions, bound);
    constructor.addStatement(
        "this.$N = new $T(\n$>$T.of(optimizations),\nnew $T {$L},\nnew $T {$L},\nnew $T {$L},"
            + "\nnew $T {$L})$<",
        state,
        STATE,
        OPTIMIZATIONS,
        ArrayTypeName.of(CONV2D),
        convolutions,
        ArrayTypeName.of(BATCH_NORM2D),
        norms,
        ArrayTypeName.of(MAX_POOL2D),
        poolings,
        ArrayTypeName.of(CONV2D),
        unfolded);
  }

  /** The modules of the plan's {@code steps}, comma-separated. */
  private CodeBlock modules(BitSet steps, Bound bound) {
    return steps.stream()
        .mapToObj(k -> module(bound, plan.node(k)))
        .collect(CodeBlock.joining(", "));
  }

  private CodeBlock module(Bound bound, int node) {
    return bound.module(((Call.ModuleCall) graph.node(node).call()).path());
  }

  /** {@code forwardInference}: the plan, one statement per step, with frees and folds. */
  MethodSpec method(ClassName features, List<ParameterSpec> inputs, Bound bound) {
    NameAllocator names = new NameAllocator();
    for (ParameterSpec p : inputs) {
      names.newName(p.name(), "input " + p.name());
    }
    String scope = names.newName("scope");
    for (int node : plan.steps()) {
      names.newName(Bound.identifier(graph.node(node).name()), node);
    }
    IntFunction<CodeBlock> valueOf =
        i ->
            graph.node(i).call() instanceof Call.Parameter
                ? CodeBlock.of("$N", graph.node(i).node().target())
                : CodeBlock.of("$N", names.get(i));
    NodeExpressions expressions = new NodeExpressions(valueOf, bound);
    BitSet overwritten = new BitSet();
    for (int k = 0; k < plan.size(); k++) {
      if (plan.overwritten(k) >= 0) {
        overwritten.set(plan.overwritten(k));
      }
    }
    CodeBlock.Builder body = CodeBlock.builder();
    body.beginControlFlow(
        "try ($T $N = $T.open(this.$N.optimizations()))",
        ExtractorWriter.FEATURE_SCOPE,
        scope,
        ExtractorWriter.FEATURE_SCOPE,
        state);
    int fold = 0;
    int pool = 0;
    int convolution = 0;
    for (int k = 0; k < plan.size(); k++) {
      int node = plan.node(k);
      TracedNode traced = graph.node(node);
      String local = names.get(node);
      int folded = plan.foldedConvolution(k);
      int x = plan.overwritten(k);
      if (folded >= 0) {
        body.add(
            "// $L and $L, folded\n",
            Names.comment(graph.node(folded).name()),
            Names.comment(traced.name()));
        body.addStatement(
            "$T $N = this.$N.folded($L, $L)",
            JavaTypes.TENSOR,
            local,
            state,
            fold++,
            valueOf.apply(plan.inputs(k)[0]));
      } else if (pools.get(k)) {
        body.addStatement(
            "$T $N = this.$N.maxPool($L, $L)",
            JavaTypes.TENSOR,
            local,
            state,
            pool++,
            valueOf.apply(plan.inputs(k)[0]));
      } else if (convolutions.get(k)) {
        body.addStatement(
            "$T $N = this.$N.convolution($L, $L)",
            JavaTypes.TENSOR,
            local,
            state,
            convolution++,
            valueOf.apply(plan.inputs(k)[0]));
      } else if (x >= 0) {
        body.addStatement(
            "$T $N = $N.inPlace() ? $L : $L",
            JavaTypes.of(traced.javaType()),
            local,
            scope,
            InPlaceExpressions.of(traced, x, valueOf, expressions),
            expressions.of(traced));
        body.addStatement("$N.freeReplaced($L, $N)", scope, valueOf.apply(x), local);
      } else {
        body.addStatement(
            "$T $N = $L", JavaTypes.of(traced.javaType()), local, expressions.of(traced));
      }
      for (int freed : plan.freedAfter(k)) {
        // A value written over in place is freed through the node that overwrote it.
        if (!overwritten.get(freed)) {
          body.addStatement("$N.free($L)", scope, valueOf.apply(freed));
        }
      }
    }
    CodeBlock kept =
        Arrays.stream(outputs)
            .mapToObj(i -> CodeBlock.of("$N.keep($L)", scope, expressions.arg(new Arg.NodeRef(i))))
            .collect(CodeBlock.joining(", "));
    body.addStatement("return new $T($L)", features, kept);
    body.endControlFlow();
    return MethodSpec.methodBuilder("forwardInference")
        .addModifiers(Modifier.PRIVATE)
        .returns(features)
        .addParameters(inputs)
        .addCode(body.build())
        .build();
  }
}
