package dev.featurex.processor.trace;

import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.ParameterizedTypeTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.Tree;
import dev.featurex.processor.model.TypeNames;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;

/**
 * Types as the tracer needs them: what a type tree denotes, Java's assignment conversions,
 * defaults.
 */
final class TypeTrees {

  private final Symbols symbols;

  TypeTrees(Symbols symbols) {
    this.symbols = symbols;
  }

  /** The type a type tree denotes; null for {@code var}. */
  TypeMirror typeOf(Tree type, Frame frame) {
    if (type == null) {
      return null;
    }
    switch (type.getKind()) {
      case PRIMITIVE_TYPE:
        return symbols.types.getPrimitiveType(((PrimitiveTypeTree) type).getPrimitiveTypeKind());
      case ARRAY_TYPE:
        TypeMirror component = typeOf(((ArrayTypeTree) type).getType(), frame);
        return component == null ? null : symbols.types.getArrayType(component);
      case PARAMETERIZED_TYPE:
        return typeOf(((ParameterizedTypeTree) type).getType(), frame);
      case IDENTIFIER:
        String name = ((IdentifierTree) type).getName().toString();
        if (name.equals("var")) {
          return null;
        }
        TypeElement t = symbols.resolveType(name, frame.clazz(), frame.unit());
        return t == null ? null : symbols.types.erasure(t.asType());
      case MEMBER_SELECT:
        TypeElement q =
            symbols.resolveQualified((MemberSelectTree) type, frame.clazz(), frame.unit());
        return q == null ? null : symbols.types.erasure(q.asType());
      default:
        return null;
    }
  }

  Value defaultValue(TypeMirror type) {
    return switch (type.getKind()) {
      case INT -> new Value.Known(0);
      case LONG -> new Value.Known(0L);
      case DOUBLE -> new Value.Known(0.0);
      case FLOAT -> new Value.Known(0.0f);
      case BOOLEAN -> new Value.Known(false);
      case SHORT -> new Value.Known((short) 0);
      case BYTE -> new Value.Known((byte) 0);
      case CHAR -> new Value.Known('\0');
      default -> Value.Known.NULL;
    };
  }

  /** Assignment conversion of a known primitive to {@code type}. */
  Value coerce(Value v, TypeMirror type) {
    if (type == null || !type.getKind().isPrimitive() || !(v instanceof Value.Known k)) {
      return v;
    }
    Object o = k.value();
    Number n = o instanceof Number num ? num : o instanceof Character c ? (int) c : null;
    if (n == null) {
      return v;
    }
    return switch (type.getKind()) {
      case INT -> new Value.Known(n.intValue());
      case LONG -> new Value.Known(n.longValue());
      case DOUBLE -> new Value.Known(n.doubleValue());
      case FLOAT -> new Value.Known(n.floatValue());
      case SHORT -> new Value.Known(n.shortValue());
      case BYTE -> new Value.Known(n.byteValue());
      case CHAR -> new Value.Known((char) n.intValue());
      default -> v;
    };
  }

  /** How the model writes the erasure of a type: a primitive, an array or a class. */
  String written(TypeMirror type) {
    TypeMirror t = symbols.types.erasure(type);
    if (t instanceof ArrayType a) {
      return written(a.getComponentType()) + "[]";
    }
    if (t instanceof DeclaredType d) {
      return TypeNames.of((TypeElement) d.asElement());
    }
    return t.toString();
  }
}
