package dev.featurex.processor.generate;

import com.palantir.javapoet.CodeBlock;
import dev.featurex.processor.trace.Arg;
import dev.featurex.processor.trace.TracedNode;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The Java expression that computes a node, shared by the graph programs (values in an array) and
 * the typed extractors (values in locals): the same call the model's {@code forward} makes, with
 * the same arguments, so javac picks the same overload.
 */
final class NodeExpressions {

  private final IntFunction<CodeBlock> valueOf;
  private final Function<String, CodeBlock> moduleOf;

  /**
   * @param valueOf how to read a node's value ({@code v12}, or {@code ((Tensor) v[12])})
   * @param moduleOf how to reach a leaf module by qualified name (a field of the program)
   */
  NodeExpressions(IntFunction<CodeBlock> valueOf, Function<String, CodeBlock> moduleOf) {
    this.valueOf = valueOf;
    this.moduleOf = moduleOf;
  }

  CodeBlock of(TracedNode node) {
    TracedNode.Call call = node.call();
    if (call instanceof TracedNode.ModuleCall m) {
      return CodeBlock.of("$L.forward($L)", moduleOf.apply(m.path()), args(m.args()));
    } else if (call instanceof TracedNode.MethodCall m) {
      return CodeBlock.of("$L.$N($L)", arg(m.receiver()), m.method(), args(m.args()));
    } else if (call instanceof TracedNode.FunctionCall f) {
      return CodeBlock.of("$T.$N($L)", JavaTypes.of(f.owner()), f.method(), args(f.args()));
    } else if (call instanceof TracedNode.Operator o) {
      return o.right() == null
          ? CodeBlock.of("($L$L)", o.operator(), arg(o.left()))
          : CodeBlock.of("($L $L $L)", arg(o.left()), o.operator(), arg(o.right()));
    }
    throw new IllegalArgumentException("a parameter is not computed: " + node.node().name());
  }

  CodeBlock args(List<Arg> args) {
    return args.stream().map(this::arg).collect(CodeBlock.joining(", "));
  }

  CodeBlock arg(Arg arg) {
    if (arg instanceof Arg.NodeRef r) {
      return valueOf.apply(r.node());
    } else if (arg instanceof Arg.Literal l) {
      return literal(l.value());
    } else if (arg instanceof Arg.NewArray a) {
      return CodeBlock.of("new $T[] {$L}", JavaTypes.of(a.componentType()), args(a.elements()));
    } else if (arg instanceof Arg.NewObject o) {
      return CodeBlock.of("new $T($L)", JavaTypes.of(o.type()), args(o.args()));
    } else if (arg instanceof Arg.StaticField f) {
      return CodeBlock.of("$T.$N", JavaTypes.of(f.type()), f.name());
    } else if (arg instanceof Arg.StaticCall c) {
      return CodeBlock.of("$T.$N($L)", JavaTypes.of(c.type()), c.method(), args(c.args()));
    } else if (arg instanceof Arg.Cast c) {
      return CodeBlock.of("(($T) $L)", JavaTypes.of(c.type()), arg(c.arg()));
    }
    throw new IllegalArgumentException(String.valueOf(arg));
  }

  static CodeBlock literal(Object value) {
    if (value == null) {
      return CodeBlock.of("null");
    } else if (value instanceof String s) {
      return CodeBlock.of("$S", s);
    } else if (value instanceof Long l) {
      return CodeBlock.of("$LL", l);
    } else if (value instanceof Float f) {
      return f.isNaN()
          ? CodeBlock.of("Float.NaN")
          : f.isInfinite()
              ? CodeBlock.of(f > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY")
              : CodeBlock.of("$Lf", f);
    } else if (value instanceof Double d) {
      return d.isNaN()
          ? CodeBlock.of("Double.NaN")
          : d.isInfinite()
              ? CodeBlock.of(d > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY")
              : CodeBlock.of("$Ld", d);
    } else if (value instanceof Character c) {
      return CodeBlock.of("(char) $L", (int) c);
    } else if (value instanceof Short s) {
      return CodeBlock.of("(short) $L", s);
    } else if (value instanceof Byte b) {
      return CodeBlock.of("(byte) $L", b);
    }
    return CodeBlock.of("$L", value);
  }
}
