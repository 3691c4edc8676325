package dev.featurex.processor.generate;

import dev.featurex.graph.NodeTraits;
import dev.featurex.processor.model.Arg;
import dev.featurex.processor.model.Call;
import dev.featurex.processor.model.TracedGraph;
import dev.featurex.processor.model.TracedNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What decides the code of a node's call shape, as a value to look shapes up by: the node's call
 * with each input as its position and Java type, and each bound object it reads (its module,
 * parameters, buffers) as the order in which it first appears; plus its overwritable inputs'
 * positions. Two nodes with equal keys have the same code, up to which objects fill the operands:
 * {@link #names} gives this node's objects in that order ({@code m:layer1.0.conv1}, {@code
 * p:cls_token}, {@code b:bn.running_mean}).
 *
 * <p>{@link ProgramWriter} writes a shape's code once per key and takes later nodes' operands from
 * their names, instead of writing and comparing every node's code as text: the cheap path for the
 * hundreds of identical blocks of a zoo.
 *
 * @param value the key, a tree of lists and strings with value semantics
 * @param names the bound objects the node reads, in the order the key numbers them
 */
record ShapeKey(Object value, List<String> names) {

  /** The key of {@code node} (not an input) of {@code graph}, whose traits are {@code traits}. */
  static ShapeKey of(TracedGraph graph, TracedNode node, NodeTraits traits) {
    Normalizer normalizer = new Normalizer(graph, node.node().inputs());
    Object call = node.call().accept(normalizer.calls);
    List<Integer> overwritable = new ArrayList<>();
    for (int x : traits.overwritable()) {
      overwritable.add(normalizer.inputs.indexOf(x));
    }
    return new ShapeKey(List.of(call, overwritable), List.copyOf(normalizer.names.keySet()));
  }

  /** The name {@link #names} uses for the module at {@code path}. */
  static String module(String path) {
    return "m:" + path;
  }

  /** The name {@link #names} uses for the parameter {@code name}. */
  static String parameter(String name) {
    return "p:" + name;
  }

  /** The name {@link #names} uses for the buffer {@code name}. */
  static String buffer(String name) {
    return "b:" + name;
  }

  private static final class Normalizer {
    private final TracedGraph graph;
    private final List<Integer> inputs;
    private final Map<String, Integer> names = new LinkedHashMap<>();

    Normalizer(TracedGraph graph, List<Integer> inputs) {
      this.graph = graph;
      this.inputs = inputs;
    }

    private Integer name(String name) {
      return names.computeIfAbsent(name, n -> names.size());
    }

    private List<Object> args(List<Arg> args) {
      List<Object> values = new ArrayList<>(args.size());
      for (Arg a : args) {
        values.add(a.accept(arguments));
      }
      return values;
    }

    private static List<Object> list(Object... parts) {
      return Arrays.asList(parts); // may hold null (a null literal)
    }

    final Call.Visitor<Object> calls =
        new Call.Visitor<>() {
          @Override
          public Object parameter(Call.Parameter call) {
            throw new IllegalArgumentException("an input is given, not computed");
          }

          @Override
          public Object getAttr(Call.GetAttr call) {
            return list("get", name(ShapeKey.parameter(call.qualifiedName())));
          }

          @Override
          public Object moduleCall(Call.ModuleCall call) {
            return list("module", call.moduleType(), name(module(call.path())), args(call.args()));
          }

          @Override
          public Object methodCall(Call.MethodCall call) {
            return list(
                "method", call.receiver().accept(arguments), call.method(), args(call.args()));
          }

          @Override
          public Object functionCall(Call.FunctionCall call) {
            return list("function", call.owner(), call.method(), args(call.args()));
          }

          @Override
          public Object operatorCall(Call.OperatorCall call) {
            return list("operator", call.operator(), args(call.operands()));
          }

          @Override
          public Object guard(Call.Guard call) {
            return list(
                "guard", call.condition().accept(arguments), call.exception().accept(arguments));
          }
        };

    final Arg.Visitor<Object> arguments =
        new Arg.Visitor<>() {
          @Override
          public Object nodeRef(Arg.NodeRef arg) {
            return list("v", inputs.indexOf(arg.node()), graph.node(arg.node()).javaType());
          }

          @Override
          public Object literal(Arg.Literal arg) {
            Object value = arg.value();
            return list("literal", value == null ? null : value.getClass().getName(), value);
          }

          @Override
          public Object newArray(Arg.NewArray arg) {
            return list("array", arg.componentType(), args(arg.elements()));
          }

          @Override
          public Object newObject(Arg.NewObject arg) {
            return list("new", arg.type(), args(arg.args()));
          }

          @Override
          public Object staticField(Arg.StaticField arg) {
            return arg;
          }

          @Override
          public Object staticCall(Arg.StaticCall arg) {
            return list("static", arg.type(), arg.method(), args(arg.args()));
          }

          @Override
          public Object bufferRead(Arg.BufferRead arg) {
            return list("buffer", name(buffer(arg.qualifiedName())));
          }

          @Override
          public Object concat(Arg.Concat arg) {
            return list("concat", args(arg.parts()));
          }

          @Override
          public Object cast(Arg.Cast arg) {
            return list("cast", arg.type(), arg.arg().accept(arguments));
          }
        };
  }
}
