package dev.featurex.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import dev.featurex.processor.model.Arg;
import dev.featurex.processor.model.Call;
import dev.featurex.processor.model.TracedGraph;
import dev.featurex.processor.model.TracedNode;
import dev.featurex.processor.validate.ExtractorPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Writes {@code <Model><Name>FeatureExtractor}: a {@code Module} that shares the model's modules
 * and whose {@code forward} computes only what the features need, one statement per node with a
 * local named after the node ({@code layer1_0_relu_1}), freeing everything but the features when it
 * returns. One method serves both modes when their code is the same. A graph too big for one method
 * runs through the runtime's executor and the descriptor's chunked program instead.
 */
final class ExtractorWriter {

  /** The most node statements one generated method holds; bigger plans use the executor. */
  static final int MAX_STATEMENTS = 400;

  static final ClassName FEATURE_SCOPE = ClassName.get(JavaTypes.INTERNAL, "FeatureScope");
  static final ClassName SHARING = ClassName.get(JavaTypes.INTERNAL, "ModuleSharing");
  static final ClassName EXECUTOR = ClassName.get("dev.featurex.runtime.execute", "GraphExecutor");
  static final ClassName SELECTION =
      ClassName.get("dev.featurex.graph", "ReturnNodes", "Selection");

  private ExtractorWriter() {}

  /** One mode's pruned plan: the nodes computed, in order, and the nodes returned. */
  private record Mode(String suffix, TracedGraph graph, int[] steps, int[] outputs) {
    static Mode of(String suffix, TracedGraph graph, int[] outputs) {
      int[] steps =
          Arrays.stream(graph.graph().plan(outputs))
              .filter(i -> !(graph.node(i).call() instanceof Call.Parameter))
              .toArray();
      return new Mode(suffix, graph, steps, outputs);
    }

    /** Whether the other mode runs exactly the same code. */
    boolean sameCode(Mode other) {
      if (!Arrays.equals(steps, other.steps) || !Arrays.equals(outputs, other.outputs)) {
        return false;
      }
      for (int i : steps) {
        if (!graph.node(i).equals(other.graph.node(i))) {
          return false;
        }
      }
      return true;
    }

    List<TracedNode> stepNodes() {
      return Arrays.stream(steps).mapToObj(graph::node).toList();
    }
  }

  static TypeSpec write(
      TypeElement model,
      ExtractorPlan plan,
      ClassName features,
      ClassName name,
      ClassName descriptor,
      String constant,
      List<? extends Element> origins) {
    Mode train = Mode.of("Train", plan.configuration().train(), plan.nodes(true));
    Mode eval = Mode.of("Eval", plan.configuration().eval(), plan.nodes(false));
    List<ParameterSpec> inputs = inputs(plan.configuration().eval());
    CodeBlock configuration = CodeBlock.of("$T.$N", descriptor, constant);
    TypeSpec.Builder type =
        TypeSpec.classBuilder(name)
            .addOriginatingElement(model)
            .addAnnotation(Names.generated())
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .superclass(JavaTypes.MODULE)
            .addJavadoc(
                "Extracts {@link $T} from a {@link $T} built by $L: shares the model's modules,"
                    + " computes only what the\nfeatures need, uses the train or eval graph as {@code"
                    + " is_training()} says.\n",
                features,
                ClassName.get(model),
                Names.comment(plan.configuration().factory()));
    type.addMethod(
        MethodSpec.constructorBuilder()
            .addModifiers(Modifier.PUBLIC)
            .addJavadoc(
                "An extractor with the exact {@link $T#defaults()}: in eval mode with gradients off it"
                    + " runs\nactivations and adds in place and frees each intermediate after its"
                    + " last use, with the same\nresults as {@code forward}.\n\n@throws"
                    + " IllegalArgumentException when {@code model} is not the configuration built"
                    + " by $L\n",
                InferenceWriter.OPTIMIZATION,
                Names.comment(plan.configuration().factory()))
            .addParameter(ClassName.get(model), "model")
            .addStatement("this(model, $T.defaults())", InferenceWriter.OPTIMIZATION)
            .build());
    MethodSpec.Builder constructor =
        MethodSpec.constructorBuilder()
            .addModifiers(Modifier.PUBLIC)
            .addJavadoc(
                "An extractor applying {@code optimizations} in eval mode with gradients off ({@link"
                    + " $T#all()}\nalso folds batch norms; {@code none()} computes exactly what"
                    + " {@code forward} computes).\n\n@throws IllegalArgumentException when"
                    + " {@code model} is not the configuration built by $L\n",
                InferenceWriter.OPTIMIZATION,
                Names.comment(plan.configuration().factory()))
            .addParameter(ClassName.get(model), "model")
            .addParameter(
                ParameterizedTypeName.get(ClassName.get(Set.class), InferenceWriter.OPTIMIZATION),
                "optimizations");
    NameAllocator fields = new NameAllocator();
    InferenceWriter inference = InferenceWriter.of(eval.graph, eval.outputs, fields);
    boolean large =
        train.steps.length > MAX_STATEMENTS
            || eval.steps.length > MAX_STATEMENTS
            || (inference != null && inference.statements() > 2 * MAX_STATEMENTS);
    if (large) {
      executorBody(type, constructor, configuration, plan, List.of(train, eval), features, inputs);
    } else {
      inlineBody(
          type, constructor, configuration, train, eval, features, inputs, fields, inference);
    }
    origins.forEach(type::addOriginatingElement);
    return type.build();
  }

  private static List<ParameterSpec> inputs(TracedGraph graph) {
    List<ParameterSpec> params = new ArrayList<>();
    for (TracedNode n : graph.nodes()) {
      if (n.call() instanceof Call.Parameter) {
        params.add(ParameterSpec.builder(JavaTypes.of(n.javaType()), n.node().target()).build());
      }
    }
    return params;
  }

  private static CodeBlock inputNames(List<ParameterSpec> inputs) {
    return inputs.stream().map(p -> CodeBlock.of("$N", p)).collect(CodeBlock.joining(", "));
  }

  /** The public {@code forward}, which first refuses null or freed input tensors. */
  private static MethodSpec.Builder forward(ClassName features, List<ParameterSpec> inputs) {
    MethodSpec.Builder forward =
        MethodSpec.methodBuilder("forward")
            .addModifiers(Modifier.PUBLIC)
            .returns(features)
            .addJavadoc(
                "The features of {@code $L}; the caller owns them (close the record to free them)."
                    + "\n\n@throws IllegalArgumentException when an input is null or freed\n",
                inputs.isEmpty() ? "the model" : inputs.get(0).name())
            .addParameters(inputs);
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i).type().equals(JavaTypes.TENSOR)) {
        forward.addStatement(
            "$T.requireInput($N, $L, $S)", FEATURE_SCOPE, inputs.get(i), i, inputs.get(i).name());
      }
    }
    return forward;
  }

  // ------------------------------------------------------------------ straight-line code

  private static void inlineBody(
      TypeSpec.Builder type,
      MethodSpec.Builder constructor,
      CodeBlock configuration,
      Mode train,
      Mode eval,
      ClassName features,
      List<ParameterSpec> inputs,
      NameAllocator fields,
      InferenceWriter inference) {
    boolean same = train.sameCode(eval);
    Set<TracedNode> used = new LinkedHashSet<>(train.stepNodes());
    used.addAll(eval.stepNodes());
    Bound bound = Bound.of(used, fields, "bindings");
    constructor.addStatement(
        "$T bindings = $T.shareChecked(this, model, $L)",
        JavaTypes.BINDINGS,
        SHARING,
        configuration);
    bound.addTo(type, constructor);
    CodeBlock names = inputNames(inputs);
    MethodSpec.Builder forward = forward(features, inputs);
    if (inference == null) {
      constructor.addStatement("$T.of(optimizations)", InferenceWriter.OPTIMIZATIONS);
    } else {
      inference.addFields(type, constructor, bound);
      type.addMethod(inference.method(features, inputs, bound));
      forward
          .beginControlFlow("if (!is_training() && this.$N.apply())", inference.stateField())
          .addStatement("return forwardInference($L)", names)
          .endControlFlow();
    }
    type.addMethod(constructor.build());
    if (same) {
      type.addMethod(forward.addCode(run(eval, bound, features, inputs)).build());
      return;
    }
    type.addMethod(
        forward
            .addStatement("return is_training() ? forwardTrain($L) : forwardEval($L)", names, names)
            .build());
    for (Mode mode : List.of(train, eval)) {
      type.addMethod(
          MethodSpec.methodBuilder("forward" + mode.suffix)
              .addModifiers(Modifier.PRIVATE)
              .returns(features)
              .addParameters(inputs)
              .addCode(run(mode, bound, features, inputs))
              .build());
    }
  }

  /** The body that runs one mode's plan: one statement per node, locals named after the nodes. */
  private static CodeBlock run(
      Mode mode, Bound bound, ClassName features, List<ParameterSpec> inputs) {
    NameAllocator names = new NameAllocator();
    for (ParameterSpec p : inputs) {
      names.newName(p.name(), "input " + p.name());
    }
    String scope = names.newName("scope");
    TracedGraph graph = mode.graph;
    for (int i : mode.steps) {
      names.newName(Bound.identifier(graph.node(i).name()), i);
    }
    NodeExpressions expressions =
        new NodeExpressions(
            i ->
                graph.node(i).call() instanceof Call.Parameter
                    ? CodeBlock.of("$N", graph.node(i).node().target())
                    : CodeBlock.of("$N", names.get(i)),
            bound);
    CodeBlock.Builder body = CodeBlock.builder();
    body.beginControlFlow("try ($T $N = $T.open())", FEATURE_SCOPE, scope, FEATURE_SCOPE);
    for (int i : mode.steps) {
      TracedNode node = graph.node(i);
      body.addStatement(
          "$T $N = $L", JavaTypes.of(node.javaType()), names.get(i), expressions.of(node));
    }
    CodeBlock kept =
        Arrays.stream(mode.outputs)
            .mapToObj(i -> CodeBlock.of("$N.keep($L)", scope, expressions.arg(new Arg.NodeRef(i))))
            .collect(CodeBlock.joining(", "));
    body.addStatement("return new $T($L)", features, kept);
    body.endControlFlow();
    return body.build();
  }

  // ------------------------------------------------------------------ big graphs

  private static void executorBody(
      TypeSpec.Builder type,
      MethodSpec.Builder constructor,
      CodeBlock configuration,
      ExtractorPlan plan,
      List<Mode> modes,
      ClassName features,
      List<ParameterSpec> inputs) {
    constructor.addStatement("$T.shareChecked(this, model, $L)", SHARING, configuration);
    type.addField(
        FieldSpec.builder(InferenceWriter.STATE, "evalState", Modifier.PRIVATE, Modifier.FINAL)
            .build());
    for (Mode mode : modes) {
      boolean training = mode.suffix.equals("Train");
      String executor = mode.suffix.toLowerCase(Locale.ROOT) + "Executor";
      String program = mode.suffix.toLowerCase(Locale.ROOT) + "Program";
      type.addField(
          FieldSpec.builder(EXECUTOR, executor, Modifier.PRIVATE, Modifier.FINAL).build());
      type.addField(
          FieldSpec.builder(JavaTypes.GRAPH_PROGRAM, program, Modifier.PRIVATE, Modifier.FINAL)
              .build());
      constructor.addStatement("this.$N = $L.bind(model, $L)", program, configuration, training);
      CodeBlock selections =
          IntStream.range(0, plan.components().size())
              .mapToObj(
                  k ->
                      CodeBlock.of(
                          "new $T($S, $S, $L)",
                          SELECTION,
                          plan.components().get(k).key(),
                          plan.components().get(k).key(),
                          mode.outputs[k]))
              .collect(CodeBlock.joining(",\n"));
      if (training) {
        constructor.addStatement(
            "this.$N = new $T($L.graph($L), $T.of(\n$>$L$<))",
            executor,
            EXECUTOR,
            configuration,
            training,
            List.class,
            selections);
      } else {
        constructor.addStatement(
            "this.$N = new $T($L.graph($L), $T.of(\n$>$L$<),\n$N.traits(), $T.of(optimizations))",
            executor,
            EXECUTOR,
            configuration,
            training,
            List.class,
            selections,
            program,
            InferenceWriter.OPTIMIZATIONS);
        constructor.addStatement("this.evalState = this.$N.bind(this.$N)", executor, program);
      }
    }
    type.addMethod(constructor.build());
    NameAllocator names = new NameAllocator();
    inputs.forEach(p -> names.newName(p.name(), p));
    String values = names.newName("values");
    CodeBlock results =
        IntStream.range(0, plan.components().size())
            .mapToObj(k -> CodeBlock.of("$N[$L]", values, k))
            .collect(CodeBlock.joining(", "));
    type.addMethod(
        forward(features, inputs)
            .addStatement(
                "$T[] $N = is_training() ? this.trainExecutor.execute(this.trainProgram, $L)"
                    + " : this.evalExecutor.execute(this.evalProgram, this.evalState, $L)",
                JavaTypes.TENSOR,
                values,
                inputNames(inputs),
                inputNames(inputs))
            .addStatement("return new $T($L)", features, results)
            .build());
  }
}
