package dev.featurex.processor.generate;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeSpec;
import dev.featurex.processor.model.Call;
import dev.featurex.processor.model.TracedGraph;
import dev.featurex.processor.model.TracedNode;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * A {@code GraphProgram} for one traced graph, as the run-time API runs it: fields for what its
 * nodes read from the model (bound once), and one {@code case} per node. Cases are split into
 * methods of {@value #CHUNK}, so no method nears the JVM's 64 KB limit whatever the graph's size.
 */
final class ProgramWriter {

  static final int CHUNK = 64;

  private ProgramWriter() {}

  static TypeSpec write(String className, TracedGraph graph) {
    NameAllocator names = new NameAllocator();
    Bound bound = Bound.of(graph.nodes(), names, "bindings");
    TypeSpec.Builder type =
        TypeSpec.classBuilder(className)
            .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addSuperinterface(JavaTypes.GRAPH_PROGRAM);
    MethodSpec.Builder constructor =
        MethodSpec.constructorBuilder().addParameter(JavaTypes.MODULE, "model");
    if (!bound.isEmpty()) {
      constructor.addStatement(
          "$T bindings = $T.of(model)", JavaTypes.BINDINGS, JavaTypes.BINDINGS);
    }
    bound.addTo(type, constructor);
    type.addMethod(constructor.build());

    List<TracedNode> nodes = graph.nodes();
    int chunks = (nodes.size() + CHUNK - 1) / CHUNK;
    MethodSpec.Builder compute =
        MethodSpec.methodBuilder("compute")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(Object.class)
            .addParameter(int.class, "node")
            .addParameter(Object[].class, "v");
    if (chunks == 1) {
      compute.addStatement("return compute0(node, v)");
    } else {
      compute.beginControlFlow("switch (node / $L)", CHUNK);
      for (int c = 0; c < chunks; c++) {
        compute.addStatement("case $L: return compute$L(node, v)", c, c);
      }
      compute.addStatement(
          "default: throw new $T($S + node)", IllegalArgumentException.class, "no node ");
      compute.endControlFlow();
    }
    type.addMethod(compute.build());
    for (int c = 0; c < chunks; c++) {
      type.addMethod(chunk(c, nodes, bound));
    }
    return type.build();
  }

  private static MethodSpec chunk(int c, List<TracedNode> nodes, Bound bound) {
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("compute" + c)
            .addModifiers(Modifier.PRIVATE)
            .returns(Object.class)
            .addParameter(int.class, "node")
            .addParameter(Object[].class, "v");
    method.beginControlFlow("switch (node)");
    for (int i = c * CHUNK; i < Math.min(nodes.size(), (c + 1) * CHUNK); i++) {
      TracedNode node = nodes.get(i);
      if (node.call() instanceof Call.Parameter) {
        continue; // inputs are given, never computed
      }
      // v holds the node's inputs, in the order of GraphNode.inputs().
      List<Integer> inputs = node.node().inputs();
      NodeExpressions expressions =
          new NodeExpressions(
              k ->
                  CodeBlock.of(
                      "(($T) v[$L])", JavaTypes.boxed(nodes.get(k).javaType()), inputs.indexOf(k)),
              bound);
      method.addCode("case $L: // $L\n", i, Names.comment(node.name()));
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
