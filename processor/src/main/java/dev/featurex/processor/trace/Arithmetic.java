package dev.featurex.processor.trace;

import com.sun.source.tree.Tree;
import dev.featurex.processor.Message;

/** Java's operators on known values, with Java's numeric promotion. */
final class Arithmetic {

  private final Interpreter interpreter;

  Arithmetic(Interpreter interpreter) {
    this.interpreter = interpreter;
  }

  Value binary(Tree.Kind kind, Object a, Object b, Tree tree, Frame frame) {
    if (kind == Tree.Kind.PLUS && (a instanceof String || b instanceof String)) {
      return new Value.Known(String.valueOf(a) + b);
    }
    if (kind == Tree.Kind.EQUAL_TO || kind == Tree.Kind.NOT_EQUAL_TO) {
      boolean numeric =
          (a instanceof Number || a instanceof Character)
              && (b instanceof Number || b instanceof Character);
      boolean equal = numeric ? compare(a, b) == 0 : java.util.Objects.equals(a, b);
      return new Value.Known(kind == Tree.Kind.EQUAL_TO == equal);
    }
    if (a instanceof Boolean x && b instanceof Boolean y) {
      return switch (kind) {
        case AND -> new Value.Known(x & y);
        case OR -> new Value.Known(x | y);
        case XOR -> new Value.Known(x ^ y);
        default -> throw unsupported(tree, frame);
      };
    }
    Number x = number(a, tree, frame);
    Number y = number(b, tree, frame);
    switch (kind) {
      case LESS_THAN:
        return new Value.Known(compare(x, y) < 0);
      case LESS_THAN_EQUAL:
        return new Value.Known(compare(x, y) <= 0);
      case GREATER_THAN:
        return new Value.Known(compare(x, y) > 0);
      case GREATER_THAN_EQUAL:
        return new Value.Known(compare(x, y) >= 0);
      default:
        break;
    }
    if (x instanceof Double || y instanceof Double || x instanceof Float || y instanceof Float) {
      boolean isFloat = !(x instanceof Double || y instanceof Double);
      double p = x.doubleValue();
      double q = y.doubleValue();
      double r =
          switch (kind) {
            case PLUS -> p + q;
            case MINUS -> p - q;
            case MULTIPLY -> p * q;
            case DIVIDE -> p / q;
            case REMAINDER -> p % q;
            default -> throw unsupported(tree, frame);
          };
      return new Value.Known(isFloat ? (Object) (float) r : (Object) r);
    }
    boolean isLong = x instanceof Long || y instanceof Long;
    long p = x.longValue();
    long q = y.longValue();
    if ((kind == Tree.Kind.DIVIDE || kind == Tree.Kind.REMAINDER) && q == 0) {
      throw interpreter.error(tree, frame, Message.THROWS, "\"" + tree + "\"", "division by zero");
    }
    long r =
        switch (kind) {
          case PLUS -> p + q;
          case MINUS -> p - q;
          case MULTIPLY -> p * q;
          case DIVIDE -> p / q;
          case REMAINDER -> p % q;
          case AND -> p & q;
          case OR -> p | q;
          case XOR -> p ^ q;
          case LEFT_SHIFT -> isLong ? p << q : (int) p << q;
          case RIGHT_SHIFT -> isLong ? p >> q : (int) p >> q;
          case UNSIGNED_RIGHT_SHIFT -> isLong ? p >>> q : (int) p >>> q;
          default -> throw unsupported(tree, frame);
        };
    return new Value.Known(isLong ? (Object) r : (Object) (int) r);
  }

  Value unary(Tree.Kind kind, Object a, Tree tree, Frame frame) {
    if (kind == Tree.Kind.LOGICAL_COMPLEMENT && a instanceof Boolean b) {
      return new Value.Known(!b);
    }
    Number n = number(a, tree, frame);
    return switch (kind) {
      case UNARY_PLUS -> new Value.Known(n);
      case UNARY_MINUS ->
          n instanceof Double d
              ? new Value.Known(-d)
              : n instanceof Float f
                  ? new Value.Known(-f)
                  : n instanceof Long l ? new Value.Known(-l) : new Value.Known(-n.intValue());
      case BITWISE_COMPLEMENT ->
          n instanceof Long l ? new Value.Known(~l) : new Value.Known(~n.intValue());
      default -> throw unsupported(tree, frame);
    };
  }

  /** {@code v + delta} keeping v's type ({@code ++}, {@code --}). */
  Value step(Value v, int delta, Tree tree, Frame frame) {
    if (!(v instanceof Value.Known k)) {
      throw interpreter.error(
          tree, frame, Message.UNKNOWN_VALUE, "\"" + tree + "\"", Describe.of(v));
    }
    Object o = k.value();
    if (o instanceof Integer i) return new Value.Known(i + delta);
    if (o instanceof Long l) return new Value.Known(l + delta);
    if (o instanceof Double d) return new Value.Known(d + delta);
    if (o instanceof Float f) return new Value.Known(f + delta);
    if (o instanceof Short s) return new Value.Known((short) (s + delta));
    if (o instanceof Byte b) return new Value.Known((byte) (b + delta));
    if (o instanceof Character c) return new Value.Known((char) (c + delta));
    throw unsupported(tree, frame);
  }

  private Number number(Object o, Tree tree, Frame frame) {
    if (o instanceof Number n) {
      return n;
    }
    if (o instanceof Character c) {
      return (int) c;
    }
    throw unsupported(tree, frame);
  }

  private static int compare(Object a, Object b) {
    Number x = a instanceof Character c ? (Number) (int) c : (Number) a;
    Number y = b instanceof Character c ? (Number) (int) c : (Number) b;
    if (x == null || y == null) {
      return x == y ? 0 : 1;
    }
    if (x instanceof Double || x instanceof Float || y instanceof Double || y instanceof Float) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    return Long.compare(x.longValue(), y.longValue());
  }

  private TraceException unsupported(Tree tree, Frame frame) {
    return interpreter.error(tree, frame, Message.UNSUPPORTED, Describe.of(tree));
  }
}
