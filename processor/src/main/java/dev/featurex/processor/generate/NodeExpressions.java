package dev.featurex.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.featurex.processor.model.Arg;
import dev.featurex.processor.model.Call;
import dev.featurex.processor.model.TracedNode;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The Java expression that computes a node, shared by the graph programs (values in an array) and
 * the typed extractors (values in locals): the same call the model's {@code forward} makes, with
 * the same arguments, so javac picks the same overload.
 */
final class NodeExpressions {

  static final ClassName GUARDS = ClassName.get(JavaTypes.INTERNAL, "Guards");

  private final IntFunction<CodeBlock> valueOf;
  private final BoundReferences bound;

  /**
   * @param valueOf how to read a node's value ({@code conv1}, or {@code ((Tensor) v[0])})
   * @param bound the modules, parameters and buffers bound to fields
   */
  NodeExpressions(IntFunction<CodeBlock> valueOf, BoundReferences bound) {
    this.valueOf = valueOf;
    this.bound = bound;
  }

  CodeBlock of(TracedNode node) {
    return node.call().accept(calls);
  }

  CodeBlock args(List<Arg> args) {
    return args.stream().map(this::arg).collect(CodeBlock.joining(", "));
  }

  CodeBlock arg(Arg arg) {
    return arg.accept(arguments);
  }

  private final Call.Visitor<CodeBlock> calls =
      new Call.Visitor<>() {
        @Override
        public CodeBlock parameter(Call.Parameter call) {
          throw new IllegalArgumentException("an input is given, not computed");
        }

        @Override
        public CodeBlock getAttr(Call.GetAttr call) {
          return bound.parameter(call.qualifiedName());
        }

        @Override
        public CodeBlock moduleCall(Call.ModuleCall call) {
          return CodeBlock.of("$L.forward($L)", bound.module(call.path()), args(call.args()));
        }

        @Override
        public CodeBlock methodCall(Call.MethodCall call) {
          return CodeBlock.of("$L.$N($L)", arg(call.receiver()), call.method(), args(call.args()));
        }

        @Override
        public CodeBlock functionCall(Call.FunctionCall call) {
          return CodeBlock.of(
              "$T.$N($L)", JavaTypes.of(call.owner()), call.method(), args(call.args()));
        }

        @Override
        public CodeBlock guard(Call.Guard call) {
          return CodeBlock.of(
              "$T.check($L, () -> $L)", GUARDS, arg(call.condition()), arg(call.exception()));
        }

        @Override
        public CodeBlock operatorCall(Call.OperatorCall call) {
          List<Arg> operands = call.operands();
          String symbol = call.operator().symbol();
          return operands.size() == 1
              ? CodeBlock.of("($L$L)", symbol, arg(operands.get(0)))
              : CodeBlock.of("($L $L $L)", arg(operands.get(0)), symbol, arg(operands.get(1)));
        }
      };

  private final Arg.Visitor<CodeBlock> arguments =
      new Arg.Visitor<>() {
        @Override
        public CodeBlock nodeRef(Arg.NodeRef arg) {
          return valueOf.apply(arg.node());
        }

        @Override
        public CodeBlock literal(Arg.Literal arg) {
          return NodeExpressions.literal(arg.value());
        }

        @Override
        public CodeBlock newArray(Arg.NewArray arg) {
          return CodeBlock.of(
              "new $T[] {$L}", JavaTypes.of(arg.componentType()), args(arg.elements()));
        }

        @Override
        public CodeBlock newObject(Arg.NewObject arg) {
          return CodeBlock.of("new $T($L)", JavaTypes.of(arg.type()), args(arg.args()));
        }

        @Override
        public CodeBlock staticField(Arg.StaticField arg) {
          return CodeBlock.of("$T.$N", JavaTypes.of(arg.type()), arg.name());
        }

        @Override
        public CodeBlock staticCall(Arg.StaticCall arg) {
          return CodeBlock.of(
              "$T.$N($L)", JavaTypes.of(arg.type()), arg.method(), args(arg.args()));
        }

        @Override
        public CodeBlock bufferRead(Arg.BufferRead arg) {
          return bound.buffer(arg.qualifiedName());
        }

        @Override
        public CodeBlock concat(Arg.Concat arg) {
          return CodeBlock.of(
              "($L)", arg.parts().stream().map(p -> arg(p)).collect(CodeBlock.joining(" + ")));
        }

        @Override
        public CodeBlock cast(Arg.Cast arg) {
          return CodeBlock.of("(($T) $L)", JavaTypes.of(arg.type()), arg(arg.arg()));
        }
      };

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
