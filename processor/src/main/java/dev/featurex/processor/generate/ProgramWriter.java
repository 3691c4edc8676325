package dev.featurex.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.featurex.graph.NodeTraits;
import dev.featurex.graph.Records;
import dev.featurex.processor.model.Call;
import dev.featurex.processor.model.TracedGraph;
import dev.featurex.processor.model.TracedNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import javax.lang.model.element.Modifier;

/**
 * A {@code GraphProgram} for one traced graph, as the run-time API runs it: fields for what its
 * nodes read from the model (bound once), and one {@code case} per node. Cases are split into
 * methods of {@value #CHUNK}, so no method nears the JVM's 64 KB limit whatever the graph's size.
 * For inference plans it also gives the nodes' {@link NodeTraits} (as text, decoded once per
 * class), the in-place variant of each node that has one, and the modules of foldable nodes.
 */
final class ProgramWriter {

  static final int CHUNK = 64;

  static final ClassName NODE_TRAITS = ClassName.get("dev.featurex.graph", "NodeTraits");
  static final TypeName TRAITS_LIST =
      ParameterizedTypeName.get(ClassName.get(List.class), NODE_TRAITS);

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
    inference(type, graph, bound);
    return type.build();
  }

  /** {@code traits()}, {@code computeInPlace} and {@code module} for inference plans. */
  private static void inference(TypeSpec.Builder type, TracedGraph graph, Bound bound) {
    List<NodeTraits> traits = Traits.of(graph);
    type.addField(
        FieldSpec.builder(TRAITS_LIST, "TRAITS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer(
                "$T.decode($L)",
                NODE_TRAITS,
                Names.strings(Records.chunks(NodeTraits.encode(traits))))
            .build());
    type.addMethod(
        MethodSpec.methodBuilder("traits")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(TRAITS_LIST)
            .addStatement("return TRAITS")
            .build());
    List<TracedNode> nodes = graph.nodes();
    dispatch(
        type,
        name ->
            MethodSpec.methodBuilder(name)
                .returns(Object.class)
                .addParameter(int.class, "node")
                .addParameter(int.class, "overwritten")
                .addParameter(Object[].class, "v"),
        "computeInPlace",
        "node, overwritten, v",
        CodeBlock.of("$T.super.computeInPlace(node, overwritten, v)", JavaTypes.GRAPH_PROGRAM),
        nodes.size(),
        i -> inPlaceCase(graph, i, traits.get(i), bound));
    dispatch(
        type,
        name ->
            MethodSpec.methodBuilder(name)
                .returns(JavaTypes.MODULE)
                .addParameter(int.class, "node"),
        "module",
        "node",
        CodeBlock.of("null"),
        nodes.size(),
        i ->
            traits.get(i).role() == NodeTraits.Role.NONE
                ? null
                : CodeBlock.of(
                    "case $L: return $L; // $L\n",
                    i,
                    bound.module(((Call.ModuleCall) nodes.get(i).call()).path()),
                    Names.comment(nodes.get(i).name())));
  }

  /** The case of node {@code i} in {@code computeInPlace}, or null when it has no variant. */
  private static CodeBlock inPlaceCase(TracedGraph graph, int i, NodeTraits traits, Bound bound) {
    if (traits.overwritable().isEmpty()) {
      return null;
    }
    TracedNode node = graph.node(i);
    List<Integer> inputs = node.node().inputs();
    IntFunction<CodeBlock> valueOf =
        k ->
            CodeBlock.of(
                "(($T) v[$L])", JavaTypes.boxed(graph.node(k).javaType()), inputs.indexOf(k));
    NodeExpressions expressions = new NodeExpressions(valueOf, bound);
    CodeBlock.Builder code =
        CodeBlock.builder().add("case $L: // $L\n$>", i, Names.comment(node.name()));
    List<Integer> overwritable = traits.overwritable();
    for (int j = 0; j < overwritable.size(); j++) {
      int x = overwritable.get(j);
      CodeBlock expression = InPlaceExpressions.of(node, x, valueOf, expressions);
      if (j < overwritable.size() - 1) {
        code.addStatement("if (overwritten == $L) return $L", x, expression);
      } else {
        code.addStatement("return $L", expression);
      }
    }
    return code.add("$<").build();
  }

  /**
   * Adds method {@code name} as a public override that switches on {@code node}, one case per node
   * that {@code caseOf} gives (null: none), split into private methods of {@value #CHUNK} nodes;
   * nodes without a case, and chunks without any, answer {@code otherwise}.
   */
  private static void dispatch(
      TypeSpec.Builder type,
      Function<String, MethodSpec.Builder> signature,
      String name,
      String arguments,
      CodeBlock otherwise,
      int size,
      IntFunction<CodeBlock> caseOf) {
    List<Integer> filled = new ArrayList<>();
    for (int c = 0; c * CHUNK < size; c++) {
      MethodSpec.Builder chunk = signature.apply(name + c).addModifiers(Modifier.PRIVATE);
      chunk.beginControlFlow("switch (node)");
      boolean any = false;
      for (int i = c * CHUNK; i < Math.min(size, (c + 1) * CHUNK); i++) {
        CodeBlock code = caseOf.apply(i);
        if (code != null) {
          chunk.addCode(code);
          any = true;
        }
      }
      chunk.addStatement("default: return $L", otherwise);
      chunk.endControlFlow();
      if (any) {
        filled.add(c);
        type.addMethod(chunk.build());
      }
    }
    MethodSpec.Builder dispatcher =
        signature.apply(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC);
    if (filled.isEmpty()) {
      dispatcher.addStatement("return $L", otherwise);
    } else {
      dispatcher.beginControlFlow("switch (node / $L)", CHUNK);
      for (int c : filled) {
        dispatcher.addStatement("case $L: return $N$L($L)", c, name, c, arguments);
      }
      dispatcher.addStatement("default: return $L", otherwise);
      dispatcher.endControlFlow();
    }
    type.addMethod(dispatcher.build());
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
