package dev.featurex.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import dev.featurex.graph.NodeTraits;
import dev.featurex.graph.Records;
import dev.featurex.processor.model.Call;
import dev.featurex.processor.model.TracedGraph;
import dev.featurex.processor.model.TracedNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import javax.lang.model.element.Modifier;

/**
 * The {@code GraphProgram} of a model's traced graphs, as the run-time API runs them: one class for
 * every graph of the model, with one {@code case} per distinct <em>call shape</em> (the code that
 * computes a node once the module, parameter or buffer it reads is an operand: {@code ((Conv2dImpl)
 * b[o[0]]).forward(((Tensor) v[0]))} is one shape for every convolution called on one tensor), and
 * per graph a {@code ProgramTable} constant: each node's shape and operands, the bindings, the
 * nodes' traits, all as data.
 *
 * <p>ResNet-152's 500 nodes and ResNet-18's 70 share a dozen shapes: the generated code grows with
 * the kinds of calls a model makes, not with its depth, which is what keeps the processor's cost on
 * a model zoo near plain javac's. Shapes are split into methods of {@value #CHUNK}, so no method
 * nears the JVM's 64 KB limit whatever the model.
 */
final class ProgramWriter {

  static final int CHUNK = 64;

  static final ClassName PROGRAM_TABLE = ClassName.get(JavaTypes.INTERNAL, "ProgramTable");

  static final ParameterizedTypeName TRAITS_LIST =
      ParameterizedTypeName.get(
          ClassName.get(List.class), ClassName.get("dev.featurex.graph", "NodeTraits"));

  /** A distinct piece of code, the nodes that use it counted for the comment on its case. */
  private static final class Shape {
    final CodeBlock code;
    final String firstNode;
    int uses;

    Shape(CodeBlock code, String firstNode) {
      this.code = code;
      this.firstNode = firstNode;
    }
  }

  private final Map<String, Integer> computeIds = new HashMap<>();
  private final List<Shape> computeShapes = new ArrayList<>();
  private final Map<String, Integer> inPlaceIds = new HashMap<>();
  private final List<Shape> inPlaceShapes = new ArrayList<>();

  /**
   * The initializer of {@code graph}'s {@code ProgramTable} constant; its shapes join this
   * writer's.
   */
  CodeBlock table(TracedGraph graph) {
    Bound bound = Bound.of(graph.nodes(), new NameAllocator(), "bindings");
    List<Bound.Field> fields = bound.all();
    Map<Bound.Field, Integer> slots = new IdentityHashMap<>(); // a Field's hash renders code
    List<List<String>> bindings = new ArrayList<>();
    for (Bound.Field f : fields) {
      slots.put(f, slots.size());
      bindings.add(f.record());
    }
    List<NodeTraits> traits = Traits.of(graph);
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < graph.nodes().size(); i++) {
      rows.add(row(graph, i, traits.get(i), bound, slots));
    }
    return CodeBlock.of(
        "new $T(\n$>$L,\n$L,\n$L)$<",
        PROGRAM_TABLE,
        Names.strings(Records.chunks(Records.encode(rows))),
        Names.strings(Records.chunks(Records.encode(bindings))),
        Names.strings(Records.chunks(NodeTraits.encode(traits))));
  }

  /**
   * The shapes of a node key, once written: its compute and in-place shapes, and which of the key's
   * {@link ShapeKey#names} fill the operands, in order.
   */
  private record Written(int shape, int inPlace, List<Integer> operands) {}

  private final Map<Object, Written> written = new HashMap<>();

  /** Node {@code i}'s record: shape, in-place shape, module slot, operand slots. */
  private List<String> row(
      TracedGraph graph, int i, NodeTraits traits, Bound bound, Map<Bound.Field, Integer> slots) {
    TracedNode node = graph.node(i);
    if (node.call() instanceof Call.Parameter) {
      return List.of("", "", "", ""); // inputs are given, never computed
    }
    ShapeKey key = ShapeKey.of(graph, node, traits);
    Written shapes = written.get(key.value());
    if (shapes == null) {
      shapes = write(graph, node, traits, bound, key);
      written.put(key.value(), shapes);
    } else {
      computeShapes.get(shapes.shape()).uses++;
      if (shapes.inPlace() >= 0) {
        inPlaceShapes.get(shapes.inPlace()).uses++;
      }
    }
    StringBuilder operands = new StringBuilder();
    for (int name : shapes.operands()) {
      operands.append(operands.length() == 0 ? "" : ",");
      operands.append(slots.get(field(bound, key.names().get(name))));
    }
    String module = "";
    if (traits.role() != NodeTraits.Role.NONE) {
      module = String.valueOf(slots.get(bound.moduleField(((Call.ModuleCall) node.call()).path())));
    }
    return List.of(
        String.valueOf(shapes.shape()),
        shapes.inPlace() < 0 ? "" : String.valueOf(shapes.inPlace()),
        module,
        operands.toString());
  }

  /** What {@link ShapeKey#names} calls {@code name}. */
  private static Bound.Field field(Bound bound, String name) {
    String rest = name.substring(2);
    return switch (name.charAt(0)) {
      case 'm' -> bound.moduleField(rest);
      case 'p' -> bound.parameterField(rest);
      case 'b' -> bound.bufferField(rest);
      default -> throw new IllegalArgumentException("not a bound name: " + name);
    };
  }

  /** Writes the code of {@code node}'s shapes, the first node of its key. */
  private Written write(
      TracedGraph graph, TracedNode node, NodeTraits traits, Bound bound, ShapeKey key) {
    Operands operands = new Operands(bound);
    List<Integer> inputs = node.node().inputs();
    // v holds the node's inputs, in the order of GraphNode.inputs().
    IntFunction<CodeBlock> valueOf =
        k ->
            CodeBlock.of(
                "(($T) v[$L])", JavaTypes.boxed(graph.node(k).javaType()), inputs.indexOf(k));
    NodeExpressions expressions = new NodeExpressions(valueOf, operands);
    int shape =
        intern(
            computeIds,
            computeShapes,
            CodeBlock.builder().addStatement("return $L", expressions.of(node)).build(),
            node.name());
    int inPlace = -1;
    List<Integer> overwritable = traits.overwritable();
    if (!overwritable.isEmpty()) {
      CodeBlock.Builder code = CodeBlock.builder();
      for (int j = 0; j < overwritable.size(); j++) {
        CodeBlock expression =
            InPlaceExpressions.of(node, overwritable.get(j), valueOf, expressions);
        if (j < overwritable.size() - 1) {
          code.addStatement("if (at == $L) return $L", j, expression);
        } else {
          code.addStatement("return $L", expression);
        }
      }
      inPlace = intern(inPlaceIds, inPlaceShapes, code.build(), node.name());
    }
    List<Integer> order = new ArrayList<>();
    for (String name : operands.names) {
      int index = key.names().indexOf(name);
      if (index < 0) {
        throw new IllegalStateException(node.name() + " reads " + name + ", not in its shape key");
      }
      order.add(index);
    }
    return new Written(shape, inPlace, List.copyOf(order));
  }

  private static int intern(
      Map<String, Integer> ids, List<Shape> shapes, CodeBlock code, String nodeName) {
    Integer id = ids.get(code.toString());
    if (id == null) {
      id = shapes.size();
      ids.put(code.toString(), id);
      shapes.add(new Shape(code, nodeName));
    }
    shapes.get(id).uses++;
    return id;
  }

  /**
   * A node's bound objects as operands: the k-th distinct one its code reads is {@code b[o[k]]},
   * where {@code o} is the node's operand slots; {@link #names} lists them in that order.
   */
  private static final class Operands implements BoundReferences {
    private final Bound bound;
    final List<String> names = new ArrayList<>();

    Operands(Bound bound) {
      this.bound = bound;
    }

    private CodeBlock operand(Bound.Field field, String name) {
      int k = names.indexOf(name);
      if (k < 0) {
        k = names.size();
        names.add(name);
      }
      return CodeBlock.of("(($T) b[o[$L]])", field.type(), k);
    }

    @Override
    public CodeBlock module(String path) {
      return operand(bound.moduleField(path), ShapeKey.module(path));
    }

    @Override
    public CodeBlock parameter(String name) {
      return operand(bound.parameterField(name), ShapeKey.parameter(name));
    }

    @Override
    public CodeBlock buffer(String name) {
      return operand(bound.bufferField(name), ShapeKey.buffer(name));
    }
  }

  /** The program class, named {@code className}, with every shape of the tables made so far. */
  TypeSpec write(String className) {
    TypeSpec.Builder type =
        TypeSpec.classBuilder(className)
            .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addSuperinterface(JavaTypes.GRAPH_PROGRAM)
            .addField(PROGRAM_TABLE, "table", Modifier.PRIVATE, Modifier.FINAL)
            .addField(Object[].class, "bound", Modifier.PRIVATE, Modifier.FINAL)
            .addMethod(
                MethodSpec.constructorBuilder()
                    .addParameter(PROGRAM_TABLE, "table")
                    .addParameter(JavaTypes.MODULE, "model")
                    .addStatement("this.table = table")
                    .addStatement("this.bound = table.bind(model)")
                    .build());
    dispatch(
        type,
        "compute",
        computeShapes,
        List.of(),
        CodeBlock.of("table.shape(node)"),
        CodeBlock.of(
            "throw new $T($S + node)", IllegalArgumentException.class, "not a computed node: "));
    type.addMethod(
        MethodSpec.methodBuilder("traits")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(TRAITS_LIST)
            .addStatement("return table.traits()")
            .build());
    if (!inPlaceShapes.isEmpty()) {
      dispatch(
          type,
          "computeInPlace",
          inPlaceShapes,
          List.of("overwritten"),
          CodeBlock.of("table.inPlaceShape(node)"),
          CodeBlock.of(
              "return $T.super.computeInPlace(node, overwritten, v)", JavaTypes.GRAPH_PROGRAM));
    }
    type.addMethod(
        MethodSpec.methodBuilder("module")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(JavaTypes.MODULE)
            .addParameter(int.class, "node")
            .addStatement("return table.module(node, bound)")
            .build());
    return type.build();
  }

  /**
   * Adds the public override {@code name(int node, [int overwritten,] Object[] v)}: it looks up the
   * node's shape ({@code shapeOf}) and calls the private method holding that shape's chunk, which
   * switches on the shape; a node without a shape gets {@code otherwise}.
   */
  private static void dispatch(
      TypeSpec.Builder type,
      String name,
      List<Shape> shapes,
      List<String> extra,
      CodeBlock shapeOf,
      CodeBlock otherwise) {
    boolean inPlace = !extra.isEmpty();
    MethodSpec.Builder entry = signature(name, extra, false);
    entry.addStatement("int shape = $L", shapeOf);
    entry.addStatement("int[] o = table.operands(node)");
    if (inPlace) {
      entry.addStatement("int at = table.overwrittenIndex(node, overwritten)");
    }
    String arguments = "node, " + (inPlace ? "overwritten, at, " : "") + "shape, o, v";
    int chunks = Math.max(1, (shapes.size() + CHUNK - 1) / CHUNK);
    if (chunks == 1) {
      entry.addStatement("return $N0($L)", name, arguments);
    } else {
      entry.beginControlFlow("switch (shape < 0 ? 0 : shape / $L)", CHUNK);
      for (int c = 0; c < chunks; c++) {
        entry.addStatement("case $L: return $N$L($L)", c, name, c, arguments);
      }
      entry.addStatement("default: $L", otherwise);
      entry.endControlFlow();
    }
    type.addMethod(entry.build());
    for (int c = 0; c < chunks; c++) {
      MethodSpec.Builder chunk = signature(name + c, extra, true);
      chunk.addStatement("$T b = this.bound", Object[].class);
      chunk.beginControlFlow("switch (shape)");
      for (int s = c * CHUNK; s < Math.min(shapes.size(), (c + 1) * CHUNK); s++) {
        Shape shape = shapes.get(s);
        chunk.addCode(
            "case $L: // $L$L\n$>",
            s,
            Names.comment(shape.firstNode),
            shape.uses > 1 ? " and " + (shape.uses - 1) + " more" : "");
        chunk.addCode(shape.code);
        chunk.addCode("$<");
      }
      chunk.addStatement("default: $L", otherwise);
      chunk.endControlFlow();
      type.addMethod(chunk.build());
    }
  }

  private static MethodSpec.Builder signature(String name, List<String> extra, boolean chunk) {
    MethodSpec.Builder method =
        MethodSpec.methodBuilder(name).returns(Object.class).addParameter(int.class, "node");
    for (String e : extra) {
      method.addParameter(int.class, e);
    }
    if (chunk) {
      method.addModifiers(Modifier.PRIVATE);
      if (!extra.isEmpty()) {
        method.addParameter(int.class, "at");
      }
      method.addParameter(int.class, "shape").addParameter(int[].class, "o");
    } else {
      method.addAnnotation(Override.class).addModifiers(Modifier.PUBLIC);
    }
    return method.addParameter(Object[].class, "v");
  }
}
