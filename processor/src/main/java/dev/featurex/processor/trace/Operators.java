package dev.featurex.processor.trace;

import com.sun.source.tree.Tree;
import dev.featurex.processor.model.Operator;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/** Which {@link Operator} a javac tree kind is, and the type an operator gives traced operands. */
final class Operators {

  private Operators() {}

  /** The operator of a binary, unary or compound-assignment tree kind, or null. */
  static Operator of(Tree.Kind kind) {
    return switch (kind) {
      case PLUS, PLUS_ASSIGNMENT -> Operator.ADD;
      case MINUS, MINUS_ASSIGNMENT -> Operator.SUBTRACT;
      case MULTIPLY, MULTIPLY_ASSIGNMENT -> Operator.MULTIPLY;
      case DIVIDE, DIVIDE_ASSIGNMENT -> Operator.DIVIDE;
      case REMAINDER, REMAINDER_ASSIGNMENT -> Operator.REMAINDER;
      case LEFT_SHIFT, LEFT_SHIFT_ASSIGNMENT -> Operator.LEFT_SHIFT;
      case RIGHT_SHIFT, RIGHT_SHIFT_ASSIGNMENT -> Operator.RIGHT_SHIFT;
      case UNSIGNED_RIGHT_SHIFT, UNSIGNED_RIGHT_SHIFT_ASSIGNMENT -> Operator.UNSIGNED_RIGHT_SHIFT;
      case AND, AND_ASSIGNMENT -> Operator.AND;
      case OR, OR_ASSIGNMENT -> Operator.OR;
      case XOR, XOR_ASSIGNMENT -> Operator.XOR;
      case LESS_THAN -> Operator.LESS_THAN;
      case LESS_THAN_EQUAL -> Operator.LESS_EQUAL;
      case GREATER_THAN -> Operator.GREATER_THAN;
      case GREATER_THAN_EQUAL -> Operator.GREATER_EQUAL;
      case EQUAL_TO -> Operator.EQUAL;
      case NOT_EQUAL_TO -> Operator.NOT_EQUAL;
      case UNARY_MINUS -> Operator.NEGATE;
      case UNARY_PLUS -> Operator.UNARY_PLUS;
      case LOGICAL_COMPLEMENT -> Operator.NOT;
      case BITWISE_COMPLEMENT -> Operator.COMPLEMENT;
      default -> null;
    };
  }

  /** Whether a type is {@code float} or {@code double}. */
  static boolean isFloating(TypeMirror type) {
    return type != null && (type.getKind() == TypeKind.DOUBLE || type.getKind() == TypeKind.FLOAT);
  }

  /**
   * The type of {@code operator} on operands of these types (null for an absent one): boolean for
   * comparisons, else Java's binary numeric promotion of the primitive operands.
   */
  static TypeMirror resultType(Operator operator, TypeMirror left, TypeMirror right, Types types) {
    if (operator.isComparison()) {
      return types.getPrimitiveType(TypeKind.BOOLEAN);
    }
    TypeKind kind = TypeKind.INT;
    for (TypeMirror t : new TypeMirror[] {left, right}) {
      if (t == null || !t.getKind().isPrimitive()) {
        continue;
      }
      TypeKind k = t.getKind();
      if (k == TypeKind.DOUBLE
          || (k == TypeKind.FLOAT && kind != TypeKind.DOUBLE)
          || (k == TypeKind.LONG && kind == TypeKind.INT)) {
        kind = k;
      }
    }
    return types.getPrimitiveType(kind);
  }
}
