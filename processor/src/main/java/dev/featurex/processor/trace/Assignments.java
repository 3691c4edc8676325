package dev.featurex.processor.trace;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.Tree;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/** Assignments to locals, fields (instance and static) and array elements. */
final class Assignments {

  private Assignments() {}

  /** Stores {@code value} into the variable {@code target}; returns the value. */
  static Value assign(ExpressionTree target, Value value, Frame frame) {
    if (target instanceof IdentifierTree id) {
      String name = id.getName().toString();
      if (frame.hasLocal(name)) {
        frame.setLocal(name, value);
      } else {
        assignField(frame.self(), frame.clazz(), name, value, target, frame);
      }
      return value;
    }
    if (target instanceof MemberSelectTree select) {
      String name = select.getIdentifier().toString();
      TypeElement type = Expressions.qualifiedType(select.getExpression(), frame);
      if (type != null) {
        frame.statics().write(type, name, value, target, frame);
        return value;
      }
      Value owner = frame.evaluate(select.getExpression());
      if (owner instanceof Instance instance) {
        instance.writeField(name, value, target, frame);
        return value;
      }
      throw frame.unsupported(target, "assigning a field of " + owner.describe());
    }
    if (target instanceof ArrayAccessTree access) {
      Value array = frame.evaluate(access.getExpression());
      int index = frame.toInt(frame.evaluate(access.getIndex()), access.getIndex());
      if (array instanceof ArrayValue a) {
        ArrayExpressions.checkIndex(target, index, a, frame);
        a.set(index, frame.typeTrees().coerce(value, a.componentType()));
        return value;
      }
    }
    throw frame.unsupported(target, "assigning \"" + target + "\"");
  }

  private static void assignField(
      Value self, TypeElement clazz, String name, Value value, Tree target, Frame frame) {
    VariableElement field = frame.symbols().field(clazz, name);
    if (field != null && Symbols.isStatic(field)) {
      frame.statics().write(Symbols.owner(field), name, value, target, frame);
    } else if (self instanceof Instance instance) {
      instance.writeField(name, value, target, frame);
    } else {
      throw frame.unsupported(
          target, "assigning \"" + name + "\", which is not a field the tracer can see");
    }
  }
}
