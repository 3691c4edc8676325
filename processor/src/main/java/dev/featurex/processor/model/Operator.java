package dev.featurex.processor.model;

import java.util.Objects;

/**
 * Every Java operator the tracer follows, in one place: its symbol in generated code, torch.fx's
 * name for it (the node name of an operator on traced values: {@code x + y} is {@code add}, as
 * Python's {@code operator.add} is), and its meaning on known values, with Java's numeric
 * promotion.
 */
public enum Operator {
  /** {@code a + b}; string concatenation on known values. */
  ADD("+", "add", 2),
  /** {@code a - b}. */
  SUBTRACT("-", "sub", 2),
  /** {@code a * b}. */
  MULTIPLY("*", "mul", 2),
  /** {@code a / b}: {@code truediv} on floating values, {@code floordiv} on integers. */
  DIVIDE("/", "floordiv", 2),
  /** {@code a % b}. */
  REMAINDER("%", "mod", 2),
  /** {@code a << b}. */
  LEFT_SHIFT("<<", "lshift", 2),
  /** {@code a >> b}. */
  RIGHT_SHIFT(">>", "rshift", 2),
  /** {@code a >>> b}: no Python equivalent, so known values only. */
  UNSIGNED_RIGHT_SHIFT(">>>", null, 2),
  /** {@code a & b}. */
  AND("&", "and_", 2),
  /** {@code a | b}. */
  OR("|", "or_", 2),
  /** {@code a ^ b}. */
  XOR("^", "xor", 2),
  /** {@code a < b}. */
  LESS_THAN("<", "lt", 2),
  /** {@code a <= b}. */
  LESS_EQUAL("<=", "le", 2),
  /** {@code a > b}. */
  GREATER_THAN(">", "gt", 2),
  /** {@code a >= b}. */
  GREATER_EQUAL(">=", "ge", 2),
  /** {@code a == b}. */
  EQUAL("==", "eq", 2),
  /** {@code a != b}. */
  NOT_EQUAL("!=", "ne", 2),
  /** {@code -a}. */
  NEGATE("-", "neg", 1),
  /** {@code +a}. */
  UNARY_PLUS("+", "pos", 1),
  /** {@code !a}. */
  NOT("!", "not_", 1),
  /** {@code ~a}. */
  COMPLEMENT("~", "invert", 1);

  private final String symbol;
  private final String fxName;
  private final int arity;

  Operator(String symbol, String fxName, int arity) {
    this.symbol = symbol;
    this.fxName = fxName;
    this.arity = arity;
  }

  /** The Java symbol ({@code +}). */
  public String symbol() {
    return symbol;
  }

  /** 1 or 2. */
  public int arity() {
    return arity;
  }

  /** Whether the result is a boolean. */
  public boolean isComparison() {
    return switch (this) {
      case LESS_THAN, LESS_EQUAL, GREATER_THAN, GREATER_EQUAL, EQUAL, NOT_EQUAL, NOT -> true;
      default -> false;
    };
  }

  /**
   * torch.fx's name for this operator on traced values, or null when there is none ({@code >>>}).
   *
   * @param floating whether an operand is a {@code float} or {@code double}
   */
  public String fxName(boolean floating) {
    return this == DIVIDE && floating ? "truediv" : fxName;
  }

  /**
   * The operator on known values, as Java computes it.
   *
   * @throws ArithmeticException for an integer division by zero
   * @throws IllegalArgumentException when the operator does not apply to these values
   */
  public Object apply(Object a, Object b) {
    return arity == 1 ? unary(a) : binary(a, b);
  }

  private Object binary(Object a, Object b) {
    if (this == ADD && (a instanceof String || b instanceof String)) {
      return String.valueOf(a) + b;
    }
    if (this == EQUAL || this == NOT_EQUAL) {
      boolean equal = isNumeric(a) && isNumeric(b) ? compare(a, b) == 0 : Objects.equals(a, b);
      return this == EQUAL == equal;
    }
    if (a instanceof Boolean x && b instanceof Boolean y) {
      return switch (this) {
        case AND -> x & y;
        case OR -> x | y;
        case XOR -> x ^ y;
        default -> throw notApplicable(a, b);
      };
    }
    Number x = number(a, b);
    Number y = number(b, a);
    switch (this) {
      case LESS_THAN:
        return compare(x, y) < 0;
      case LESS_EQUAL:
        return compare(x, y) <= 0;
      case GREATER_THAN:
        return compare(x, y) > 0;
      case GREATER_EQUAL:
        return compare(x, y) >= 0;
      default:
        break;
    }
    boolean shift = this == LEFT_SHIFT || this == RIGHT_SHIFT || this == UNSIGNED_RIGHT_SHIFT;
    if (!shift && (isFloating(x) || isFloating(y))) {
      return floating(x, y);
    }
    return integral(x, y, shift);
  }

  private Object floating(Number x, Number y) {
    boolean isFloat = !(x instanceof Double || y instanceof Double);
    double p = x.doubleValue();
    double q = y.doubleValue();
    double r =
        switch (this) {
          case ADD -> p + q;
          case SUBTRACT -> p - q;
          case MULTIPLY -> p * q;
          case DIVIDE -> p / q;
          case REMAINDER -> p % q;
          default -> throw notApplicable(x, y);
        };
    return isFloat ? (Object) (float) r : (Object) r;
  }

  private Object integral(Number x, Number y, boolean shift) {
    if (isFloating(x) || isFloating(y)) {
      throw notApplicable(x, y);
    }
    // A shift's type is its left operand's; other operators promote to long if either is long.
    boolean isLong = x instanceof Long || (!shift && y instanceof Long);
    long p = x.longValue();
    long q = y.longValue();
    if ((this == DIVIDE || this == REMAINDER) && q == 0) {
      throw new ArithmeticException("/ by zero");
    }
    long r =
        switch (this) {
          case ADD -> p + q;
          case SUBTRACT -> p - q;
          case MULTIPLY -> p * q;
          case DIVIDE -> p / q;
          case REMAINDER -> p % q;
          case AND -> p & q;
          case OR -> p | q;
          case XOR -> p ^ q;
          case LEFT_SHIFT -> isLong ? p << q : (int) p << q;
          case RIGHT_SHIFT -> isLong ? p >> q : (int) p >> q;
          case UNSIGNED_RIGHT_SHIFT -> isLong ? p >>> q : (int) p >>> q;
          default -> throw notApplicable(x, y);
        };
    return isLong ? (Object) r : (Object) (int) r;
  }

  private Object unary(Object a) {
    if (this == NOT && a instanceof Boolean b) {
      return !b;
    }
    Number n = number(a, null);
    return switch (this) {
      case UNARY_PLUS -> n instanceof Short || n instanceof Byte ? n.intValue() : n;
      case NEGATE ->
          n instanceof Double d
              ? (Object) (-d)
              : n instanceof Float f
                  ? (Object) (-f)
                  : n instanceof Long l ? (Object) (-l) : (Object) (-n.intValue());
      case COMPLEMENT -> {
        if (isFloating(n)) {
          throw notApplicable(a, null);
        }
        yield n instanceof Long l ? (Object) (~l) : (Object) (~n.intValue());
      }
      default -> throw notApplicable(a, null);
    };
  }

  private Number number(Object o, Object other) {
    if (o instanceof Number n) {
      return n;
    }
    if (o instanceof Character c) {
      return (int) c;
    }
    throw notApplicable(o, other);
  }

  private IllegalArgumentException notApplicable(Object a, Object b) {
    return new IllegalArgumentException(
        "the operator " + symbol + " does not apply to " + a + (arity == 2 ? " and " + b : ""));
  }

  private static boolean isNumeric(Object o) {
    return o instanceof Number || o instanceof Character;
  }

  private static boolean isFloating(Number n) {
    return n instanceof Double || n instanceof Float;
  }

  private static int compare(Object a, Object b) {
    Number x = a instanceof Character c ? (Number) (int) c : (Number) a;
    Number y = b instanceof Character c ? (Number) (int) c : (Number) b;
    if (isFloating(x) || isFloating(y)) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    return Long.compare(x.longValue(), y.longValue());
  }
}
