package dev.featurex.processor.generate;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.featurex.processor.trace.Arg;
import dev.featurex.processor.trace.TracedGraph;
import dev.featurex.processor.trace.TracedNode;
import dev.featurex.processor.validate.ExtractorPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Writes {@code <Model><Name>Features} (a record of the features, in execution order) and {@code
 * <Model><Name>FeatureExtractor} (a {@code Module} sharing the model's modules whose {@code
 * forward} runs the pruned train or eval graph, one statement per node, and frees what it does not
 * return).
 */
public final class ExtractorWriter {

  static final ClassName TENSOR = ClassName.get("org.bytedeco.pytorch", "Tensor");
  static final ClassName SCOPE = ClassName.get("org.bytedeco.javacpp", "PointerScope");
  static final ClassName TREES = ClassName.get("dev.featurex.runtime.execute", "ModuleTrees");

  private ExtractorWriter() {}

  /** The record and the extractor for {@code plan}, in {@code pkg}. */
  public static List<JavaFile> write(String pkg, TypeElement model, ExtractorPlan plan) {
    String base = GraphDescriptorWriter.simpleName(model, "").replace("_", "") + plan.name();
    ClassName features = ClassName.get(pkg, base + "Features");
    TypeSpec record = record(model, plan, features);
    TypeSpec extractor =
        extractor(model, plan, features, ClassName.get(pkg, base + "FeatureExtractor"));
    return List.of(
        JavaFile.builder(pkg, record).skipJavaLangImports(true).build(),
        JavaFile.builder(pkg, extractor).skipJavaLangImports(true).build());
  }

  private static TypeSpec record(TypeElement model, ExtractorPlan plan, ClassName name) {
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder();
    CodeBlock.Builder map =
        CodeBlock.builder()
            .addStatement(
                "$T<String, $T> map = new $T<>()", Map.class, TENSOR, LinkedHashMap.class);
    MethodSpec.Builder close =
        MethodSpec.methodBuilder("close")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .addJavadoc("Frees the feature tensors.\n");
    TracedGraph eval = plan.configuration().eval();
    for (ExtractorPlan.Component c : plan.components()) {
      ctor.addParameter(
          ParameterSpec.builder(TENSOR, c.identifier())
              .addJavadoc(
                  "node {@code $L} (eval), {@code $L} (train)\n",
                  eval.nodes().get(c.evalNode()).node().name(),
                  plan.configuration().train().nodes().get(c.trainNode()).node().name())
              .build());
      map.addStatement("map.put($S, $N)", c.key(), c.identifier());
      close.addStatement("$N.close()", c.identifier());
    }
    return TypeSpec.recordBuilder(name)
        .addOriginatingElement(model)
        .addAnnotation(GraphDescriptorWriter.generated())
        .addModifiers(Modifier.PUBLIC)
        .addSuperinterface(AutoCloseable.class)
        .addJavadoc(
            "Features of {@link $T} ($L), in execution order.\n",
            ClassName.get(model),
            plan.configuration().factory())
        .recordConstructor(ctor.build())
        .addMethod(
            MethodSpec.methodBuilder("asMap")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc(
                    "The features by key (as written in the annotation), in execution order.\n")
                .returns(
                    ParameterizedTypeName.get(
                        ClassName.get(Map.class), ClassName.get(String.class), TENSOR))
                .addCode(map.build())
                .addStatement("return $T.unmodifiableMap(map)", java.util.Collections.class)
                .build())
        .addMethod(close.build())
        .build();
  }

  private static TypeSpec extractor(
      TypeElement model, ExtractorPlan plan, ClassName features, ClassName name) {
    ClassName modelType = ClassName.get(model);
    TracedGraph train = plan.configuration().train();
    TracedGraph eval = plan.configuration().eval();
    int[] trainWanted =
        plan.components().stream().mapToInt(ExtractorPlan.Component::trainNode).toArray();
    int[] evalWanted =
        plan.components().stream().mapToInt(ExtractorPlan.Component::evalNode).toArray();
    int[] trainPlan = train.graph().plan(trainWanted);
    int[] evalPlan = eval.graph().plan(evalWanted);

    Map<String, TracedNode.ModuleCall> leaves = new LinkedHashMap<>();
    collectLeaves(train, trainPlan, leaves);
    collectLeaves(eval, evalPlan, leaves);

    TypeSpec.Builder type =
        TypeSpec.classBuilder(name)
            .addOriginatingElement(model)
            .addAnnotation(GraphDescriptorWriter.generated())
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .superclass(ProgramWriter.MODULE)
            .addJavadoc(
                "Extracts {@link $T} from a {@link $T} built by $L: shares the model's modules, computes only what the\n"
                    + "features need, uses the train or eval graph as {@code is_training()} says.\n",
                features,
                modelType,
                plan.configuration().factory());
    TypeName strings = ParameterizedTypeName.get(List.class, String.class);
    CodeBlock modules =
        plan.configuration().modules().signature().stream()
            .map(s -> CodeBlock.of("$S", s))
            .collect(CodeBlock.joining(",\n"));
    type.addField(
        FieldSpec.builder(strings, "MODULE_TREE", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("$T.of(\n$>$L$<)", List.class, modules)
            .build());

    MethodSpec.Builder ctor =
        MethodSpec.constructorBuilder()
            .addModifiers(Modifier.PUBLIC)
            .addJavadoc(
                "@throws IllegalArgumentException when {@code model} is not the configuration built by $L\n",
                plan.configuration().factory())
            .addParameter(modelType, "model")
            .addStatement(
                "$T.require(model, MODULE_TREE, $S)", TREES, plan.configuration().factory())
            .addComment(
                "Share the model's modules: same parameters, and train()/eval() reach them.")
            .addStatement(
                "$T children = model.named_children()",
                ClassName.get("org.bytedeco.pytorch", "StringSharedModuleDict"))
            .beginControlFlow("for (long i = 0; i < children.size(); i++)")
            .addStatement(
                "register_module(children.keys().get(i).getString(), children.get(i).value())")
            .endControlFlow()
            .addStatement("train(model.is_training())");
    if (!leaves.isEmpty()) {
      ctor.addStatement(
          "$T named = model.named_modules()",
          ClassName.get("org.bytedeco.pytorch", "StringSharedModuleDict"));
    }
    for (TracedNode.ModuleCall m : leaves.values()) {
      type.addField(
          FieldSpec.builder(
                  JavaTypes.of(m.moduleType()),
                  ProgramWriter.fieldName(m.path()),
                  Modifier.PRIVATE,
                  Modifier.FINAL)
              .build());
      ctor.addStatement(ProgramWriter.bindModule(m, "named", "model"));
    }
    type.addMethod(ctor.build());

    List<ParameterSpec> params = new ArrayList<>();
    CodeBlock.Builder call = CodeBlock.builder();
    for (TracedNode n : eval.nodes()) {
      if (n.call() instanceof TracedNode.Parameter p) {
        params.add(ParameterSpec.builder(JavaTypes.of(n.javaType()), n.node().target()).build());
        call.add(p.index() == 0 ? "$N" : ", $N", n.node().target());
      }
    }
    type.addMethod(
        MethodSpec.methodBuilder("forward")
            .addModifiers(Modifier.PUBLIC)
            .returns(features)
            .addJavadoc(
                "The features of {@code $L}; the caller owns them (close the record to free them).\n",
                params.get(0).name())
            .addParameters(params)
            .addStatement(
                "return is_training() ? forwardTrain($L) : forwardEval($L)",
                call.build(),
                call.build())
            .build());
    type.addMethod(mode("forwardTrain", train, trainPlan, trainWanted, params, features, plan));
    type.addMethod(mode("forwardEval", eval, evalPlan, evalWanted, params, features, plan));
    return type.build();
  }

  private static void collectLeaves(
      TracedGraph graph, int[] plan, Map<String, TracedNode.ModuleCall> into) {
    for (int i : plan) {
      if (graph.nodes().get(i).call() instanceof TracedNode.ModuleCall m) {
        into.putIfAbsent(m.path(), m);
      }
    }
  }

  private static MethodSpec mode(
      String methodName,
      TracedGraph graph,
      int[] plan,
      int[] wanted,
      List<ParameterSpec> params,
      ClassName features,
      ExtractorPlan extractor) {
    // Locals never clash with forward's parameter names, whatever they are.
    NameAllocator names = new NameAllocator();
    for (ParameterSpec p : params) {
      names.newName(p.name(), p.name());
    }
    String outer = names.newName("outer");
    String result = names.newName("result");
    String scope = names.newName("scope");
    for (int i : plan) {
      TracedNode node = graph.nodes().get(i);
      if (!(node.call() instanceof TracedNode.Parameter)) {
        names.newName("v" + i, i);
      }
    }
    NodeExpressions expressions =
        new NodeExpressions(
            i ->
                graph.nodes().get(i).call() instanceof TracedNode.Parameter
                    ? CodeBlock.of("$N", names.get(graph.nodes().get(i).node().target()))
                    : CodeBlock.of("$N", names.get(i)),
            path -> CodeBlock.of("$N", ProgramWriter.fieldName(path)));
    MethodSpec.Builder method =
        MethodSpec.methodBuilder(methodName)
            .addModifiers(Modifier.PRIVATE)
            .returns(features)
            .addParameters(params)
            .addAnnotation(
                AnnotationSpec.builder(SuppressWarnings.class)
                    .addMember("value", "$S", "try")
                    .build());
    method.addStatement("$T $N = $T.getInnerScope()", SCOPE, outer, SCOPE);
    method.addStatement("$T $N", features, result);
    method.addComment("Every tensor made in this scope and not returned is freed when it closes.");
    method.beginControlFlow("try ($T $N = new $T())", SCOPE, scope, SCOPE);
    for (int i : plan) {
      TracedNode node = graph.nodes().get(i);
      if (node.call() instanceof TracedNode.Parameter) {
        continue;
      }
      method.addComment("$L", node.node().name());
      method.addStatement(
          "$T $N = $L", JavaTypes.of(node.javaType()), names.get(i), expressions.of(node));
    }
    CodeBlock args =
        Arrays.stream(wanted)
            .mapToObj(i -> expressions.arg(new Arg.NodeRef(i)))
            .collect(CodeBlock.joining(", "));
    method.addStatement("$N = new $T($L)", result, features, args);
    for (ExtractorPlan.Component c : extractor.components()) {
      method.addStatement("$N.$N().retainReference()", result, c.identifier());
    }
    method.endControlFlow();
    method.beginControlFlow("if ($N != null)", outer);
    method.addComment("Hand the features to the caller's scope.");
    for (ExtractorPlan.Component c : extractor.components()) {
      method.addStatement("$N.attach($N.$N())", outer, result, c.identifier());
      method.addStatement("$N.$N().releaseReference()", result, c.identifier());
    }
    method.endControlFlow();
    method.addStatement("return $N", result);
    return method.build();
  }
}
