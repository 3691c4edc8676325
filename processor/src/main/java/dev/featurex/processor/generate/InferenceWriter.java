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
 * and the fields it reads, the extractor's {@code Optimizations} and {@code BatchNormFolds}.
 *
 * <pre>{@code
 * try (FeatureScope scope = FeatureScope.open(this.optimizations)) {
 *   // conv1 and bn1, folded
 *   Tensor bn1 = this.folds.forward(0, x);
 *   Tensor relu = scope.inPlace() ? InPlace.relu(bn1) : this.relu.forward(bn1);
 *   scope.freeReplaced(bn1, relu);
 *   Tensor maxpool = this.maxpool.forward(relu);
 *   scope.free(relu);
 *   ...
 * }</pre>
 *
 * <p>Each optimization can still be off at run time ({@code Optimization}): folds then run
 * unfolded, {@code scope.inPlace()} picks the node's own call, {@code scope.free} does nothing. The
 * plan stays correct in every combination: a value freed after its last use is dead whether or not
 * an in-place node wrote into it.
 */
final class InferenceWriter {

  static final ClassName OPTIMIZATIONS = ClassName.get(JavaTypes.INTERNAL, "Optimizations");
  static final ClassName FOLDS = ClassName.get(JavaTypes.INTERNAL, "BatchNormFolds");
  static final ClassName OPTIMIZATION = ClassName.get("dev.featurex.runtime", "Optimization");
  static final ClassName CONV2D = ClassName.get("org.bytedeco.pytorch", "Conv2dImpl");
  static final ClassName BATCH_NORM2D = ClassName.get("org.bytedeco.pytorch", "BatchNorm2dImpl");

  private final TracedGraph graph;
  private final InferencePlan plan;
  private final int[] outputs;
  private final String optimizations;
  private final String folds;

  private InferenceWriter(
      TracedGraph graph, InferencePlan plan, int[] outputs, String optimizations, String folds) {
    this.graph = graph;
    this.plan = plan;
    this.outputs = outputs;
    this.optimizations = optimizations;
    this.folds = folds;
  }

  /**
   * The writer of {@code graph}'s inference path for {@code outputs}, with field names reserved in
   * {@code fields}; null when every optimization together changes nothing (then the extractor has
   * no inference path).
   */
  static InferenceWriter of(TracedGraph graph, int[] outputs, NameAllocator fields) {
    InferencePlan plan =
        InferencePlan.of(graph.graph(), Traits.of(graph), outputs, InferencePlan.Options.ALL);
    if (plan.isPlain()) {
      return null;
    }
    return new InferenceWriter(
        graph,
        plan,
        outputs,
        fields.newName("optimizations", "optimizations"),
        fields.newName("folds", "folds"));
  }

  /** The number of statements of {@code forwardInference}, to keep it far below 64 KB. */
  int statements() {
    int count = 0;
    for (int k = 0; k < plan.size(); k++) {
      count += 1 + (plan.overwritten(k) >= 0 ? 1 : 0) + plan.freedAfter(k).length;
    }
    return count;
  }

  /** The name of the {@code Optimizations} field. */
  String optimizationsField() {
    return optimizations;
  }

  /**
   * Declares the fields and sets them in {@code constructor}, whose {@code optimizations} parameter
   * is a {@code Set<Optimization>}; the modules are already bound in {@code bound}.
   */
  void addFields(TypeSpec.Builder type, MethodSpec.Builder constructor, Bound bound) {
    type.addField(
        FieldSpec.builder(OPTIMIZATIONS, optimizations, Modifier.PRIVATE, Modifier.FINAL).build());
    type.addField(FieldSpec.builder(FOLDS, folds, Modifier.PRIVATE, Modifier.FINAL).build());
    constructor.addStatement("this.$N = $T.of(optimizations)", optimizations, OPTIMIZATIONS);
    CodeBlock convolutions =
        plan.folds().stream()
            .map(pair -> bound.module(((Call.ModuleCall) graph.node(pair[0]).call()).path()))
            .collect(CodeBlock.joining(", "));
    CodeBlock norms =
        plan.folds().stream()
            .map(pair -> bound.module(((Call.ModuleCall) graph.node(pair[1]).call()).path()))
            .collect(CodeBlock.joining(", "));
    constructor.addStatement(
        "this.$N = new $T(this.$N, new $T {$L}, new $T {$L})",
        folds,
        FOLDS,
        optimizations,
        ArrayTypeName.of(CONV2D),
        convolutions,
        ArrayTypeName.of(BATCH_NORM2D),
        norms);
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
        "try ($T $N = $T.open(this.$N))",
        ExtractorWriter.FEATURE_SCOPE,
        scope,
        ExtractorWriter.FEATURE_SCOPE,
        optimizations);
    int fold = 0;
    for (int k = 0; k < plan.size(); k++) {
      int node = plan.node(k);
      TracedNode traced = graph.node(node);
      String local = names.get(node);
      int convolution = plan.foldedConvolution(k);
      int x = plan.overwritten(k);
      if (convolution >= 0) {
        body.add(
            "// $L and $L, folded\n",
            Names.comment(graph.node(convolution).name()),
            Names.comment(traced.name()));
        body.addStatement(
            "$T $N = this.$N.forward($L, $L)",
            JavaTypes.TENSOR,
            local,
            folds,
            fold++,
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
