package dev.featurex.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.featurex.processor.trace.TracedGraph;
import dev.featurex.processor.trace.TracedNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * A {@code GraphProgram} for one traced graph: fields for the leaf modules it calls (bound once
 * from the model), and one {@code case} per node. Cases are split into methods of {@value #CHUNK}
 * so no method nears the JVM's 64 KB limit.
 */
final class ProgramWriter {

  static final int CHUNK = 64;
  static final ClassName MODULE = ClassName.get("org.bytedeco.pytorch", "Module");
  static final ClassName PROGRAM = ClassName.get("dev.featurex.runtime.execute", "GraphProgram");
  static final ClassName ACCESS = ClassName.get("dev.featurex.runtime.execute", "ModuleAccess");

  private ProgramWriter() {}

  /** The leaf modules a graph calls, by path, with the field that holds each. */
  static Map<String, TracedNode.ModuleCall> leafCalls(TracedGraph graph) {
    Map<String, TracedNode.ModuleCall> calls = new LinkedHashMap<>();
    for (TracedNode node : graph.nodes()) {
      if (node.call() instanceof TracedNode.ModuleCall m) {
        calls.putIfAbsent(m.path(), m);
      }
    }
    return calls;
  }

  /** The field name for the module at {@code path}: {@code layer1_0_conv1}. */
  static String fieldName(String path) {
    return "m_" + path.replaceAll("[^A-Za-z0-9_]", "_");
  }

  /**
   * The statement that binds a module field from {@code model} ({@code named} is named_modules()).
   */
  static CodeBlock bindModule(TracedNode.ModuleCall m, String named, String model) {
    TypeName type = JavaTypes.of(m.moduleType());
    if (m.asMethod() != null) {
      return CodeBlock.of(
          "this.$N = $N.get($S).$N()", fieldName(m.path()), named, m.path(), m.asMethod());
    }
    CodeBlock steps =
        m.fieldPath().stream().map(s -> CodeBlock.of("$S", s)).collect(CodeBlock.joining(", "));
    return CodeBlock.of(
        "this.$N = ($T) $T.follow($N$L)",
        fieldName(m.path()),
        type,
        ACCESS,
        model,
        steps.isEmpty() ? CodeBlock.of("") : CodeBlock.of(", $L", steps));
  }

  static TypeSpec write(String className, TracedGraph graph) {
    Map<String, TracedNode.ModuleCall> leaves = leafCalls(graph);
    TypeSpec.Builder type =
        TypeSpec.classBuilder(className)
            .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addSuperinterface(PROGRAM);
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder().addParameter(MODULE, "model");
    if (!leaves.isEmpty()) {
      ctor.addStatement(
          "$T named = model.named_modules()",
          ClassName.get("org.bytedeco.pytorch", "StringSharedModuleDict"));
    }
    for (TracedNode.ModuleCall m : leaves.values()) {
      type.addField(
          FieldSpec.builder(
                  JavaTypes.of(m.moduleType()),
                  fieldName(m.path()),
                  Modifier.PRIVATE,
                  Modifier.FINAL)
              .build());
      ctor.addStatement(bindModule(m, "named", "model"));
    }
    type.addMethod(ctor.build());

    List<TracedNode> nodes = graph.nodes();
    int chunks = (nodes.size() + CHUNK - 1) / CHUNK;
    MethodSpec.Builder compute =
        MethodSpec.methodBuilder("compute")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(Object.class)
            .addParameter(int.class, "node")
            .addParameter(Object[].class, "v");
    for (int c = 0; c < chunks; c++) {
      compute
          .beginControlFlow("if (node < $L)", Math.min(nodes.size(), (c + 1) * CHUNK))
          .addStatement("return compute$L(node, v)", c)
          .endControlFlow();
      type.addMethod(chunk(c, nodes));
    }
    compute.addStatement("throw new $T($S + node)", IllegalArgumentException.class, "no node ");
    type.addMethod(compute.build());
    return type.build();
  }

  private static MethodSpec chunk(int c, List<TracedNode> nodes) {
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("compute" + c)
            .addModifiers(Modifier.PRIVATE)
            .returns(Object.class)
            .addParameter(int.class, "node")
            .addParameter(Object[].class, "v");
    method.beginControlFlow("switch (node)");
    for (int i = c * CHUNK; i < Math.min(nodes.size(), (c + 1) * CHUNK); i++) {
      TracedNode node = nodes.get(i);
      if (node.call() instanceof TracedNode.Parameter) {
        continue; // inputs are given, never computed
      }
      // v holds the node's inputs, in the order of GraphNode.inputs().
      List<Integer> inputs = node.node().inputs();
      NodeExpressions expressions =
          new NodeExpressions(
              k ->
                  CodeBlock.of(
                      "(($T) v[$L])", JavaTypes.boxed(nodes.get(k).javaType()), inputs.indexOf(k)),
              path -> CodeBlock.of("$N", fieldName(path)));
      method.addCode("case $L: // $L\n", i, node.node().name());
      method.addStatement("$>return $L$<", expressions.of(node));
    }
    method.addStatement(
        "default: throw new $T($S + node)",
        IllegalArgumentException.class,
        "not a computed node: ");
    method.endControlFlow();
    return method.build();
  }
}
