package dev.featurex.processor.generate;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.featurex.graph.GraphNode;
import dev.featurex.processor.trace.ModelTracer;
import dev.featurex.processor.trace.TracedGraph;
import dev.featurex.processor.trace.TracedNode;
import java.util.List;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Writes {@code <Flat>_FeatureGraph}: the runtime's view of every traced configuration of a model
 * (module tree, train and eval graphs) and the programs that compute their nodes.
 */
public final class GraphDescriptorWriter {

  static final ClassName TRACED_MODEL =
      ClassName.get("dev.featurex.runtime.execute", "TracedModel");
  static final ClassName CONFIGURATION =
      ClassName.get("dev.featurex.runtime.execute", "TracedConfiguration");
  static final ClassName GRAPH = ClassName.get("dev.featurex.graph", "Graph");
  static final ClassName NODE = ClassName.get("dev.featurex.graph", "GraphNode");
  static final ClassName OP = NODE.nestedClass("Op");
  static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  static final String PROCESSOR = "dev.featurex.processor.FeaturexProcessor";

  private GraphDescriptorWriter() {}

  /** The generated class's simple name for {@code model}: its simple names joined by {@code _}. */
  public static String simpleName(TypeElement model, String suffix) {
    StringBuilder name = new StringBuilder(model.getSimpleName());
    for (var e = model.getEnclosingElement();
        e instanceof TypeElement outer;
        e = outer.getEnclosingElement()) {
      name.insert(0, outer.getSimpleName() + "_");
    }
    return name + suffix;
  }

  static AnnotationSpec generated() {
    return AnnotationSpec.builder(GENERATED).addMember("value", "$S", PROCESSOR).build();
  }

  /** {@code <Flat>_FeatureGraph} for every traced configuration of {@code model}, in order. */
  public static JavaFile write(
      String pkg, TypeElement model, List<ModelTracer.Result> configurations) {
    String name = simpleName(model, "_FeatureGraph");
    TypeSpec.Builder type =
        TypeSpec.classBuilder(name)
            .addOriginatingElement(model)
            .addAnnotation(generated())
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addSuperinterface(TRACED_MODEL)
            .addJavadoc(
                "The graphs featurex traced for {@link $T}; found by the runtime from the model's class.\n",
                ClassName.get(model));
    CodeBlock.Builder list = CodeBlock.builder();
    for (int i = 0; i < configurations.size(); i++) {
      ModelTracer.Result result = configurations.get(i);
      String configName = "Configuration" + i;
      type.addType(configuration(configName, result));
      type.addType(ProgramWriter.write(configName + "Train", result.train()));
      type.addType(ProgramWriter.write(configName + "Eval", result.eval()));
      list.add(i == 0 ? "$L" : ", $L", CodeBlock.of("new $N()", configName));
    }
    TypeName listType = ParameterizedTypeName.get(ClassName.get(List.class), CONFIGURATION);
    type.addField(
        FieldSpec.builder(
                listType, "CONFIGURATIONS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("$T.of($L)", List.class, list.build())
            .build());
    type.addMethod(
        MethodSpec.constructorBuilder()
            .addModifiers(Modifier.PUBLIC)
            .addJavadoc("Used by the runtime.\n")
            .build());
    type.addMethod(
        MethodSpec.methodBuilder("configurations")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(listType)
            .addStatement("return CONFIGURATIONS")
            .build());
    return JavaFile.builder(pkg, type.build()).skipJavaLangImports(true).build();
  }

  private static TypeSpec configuration(String name, ModelTracer.Result result) {
    TypeName strings = ParameterizedTypeName.get(List.class, String.class);
    CodeBlock modules =
        result.modules().signature().stream()
            .map(s -> CodeBlock.of("$S", s))
            .collect(CodeBlock.joining(",\n"));
    return TypeSpec.classBuilder(name)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addSuperinterface(CONFIGURATION)
        .addJavadoc("$L\n", result.factory())
        .addField(
            FieldSpec.builder(GRAPH, "train", Modifier.PRIVATE, Modifier.FINAL)
                .initializer("trainGraph()")
                .build())
        .addField(
            FieldSpec.builder(GRAPH, "eval", Modifier.PRIVATE, Modifier.FINAL)
                .initializer("evalGraph()")
                .build())
        .addMethod(
            MethodSpec.methodBuilder("factory")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(String.class)
                .addStatement("return $S", result.factory())
                .build())
        .addMethod(
            MethodSpec.methodBuilder("moduleTree")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(strings)
                .addStatement("return $T.of(\n$>$L$<)", List.class, modules)
                .build())
        .addMethod(
            MethodSpec.methodBuilder("graph")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(GRAPH)
                .addParameter(boolean.class, "training")
                .addStatement("return training ? train : eval")
                .build())
        .addMethod(
            MethodSpec.methodBuilder("bind")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(ProgramWriter.PROGRAM)
                .addParameter(ProgramWriter.MODULE, "model")
                .addParameter(boolean.class, "training")
                .addStatement(
                    "return training ? new $NTrain(model) : new $NEval(model)", name, name)
                .build())
        .addMethod(graphMethod("trainGraph", result.train()))
        .addMethod(graphMethod("evalGraph", result.eval()))
        .build();
  }

  private static MethodSpec graphMethod(String name, TracedGraph graph) {
    CodeBlock nodes =
        graph.nodes().stream().map(GraphDescriptorWriter::node).collect(CodeBlock.joining(",\n"));
    return MethodSpec.methodBuilder(name)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(GRAPH)
        .addStatement(
            "return new $T($T.of(\n$>$L$<), $L)", GRAPH, List.class, nodes, graph.output())
        .build();
  }

  private static CodeBlock node(TracedNode traced) {
    GraphNode n = traced.node();
    CodeBlock inputs =
        n.inputs().stream().map(i -> CodeBlock.of("$L", i)).collect(CodeBlock.joining(", "));
    return CodeBlock.of(
        "$T.of($S, $T.$L, $S$L)",
        NODE,
        n.name(),
        OP,
        n.op().name(),
        n.target(),
        inputs.isEmpty() ? CodeBlock.of("") : CodeBlock.of(", $L", inputs));
  }
}
