package dev.featurex.processor.trace;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.Tree;
import dev.featurex.processor.diagnostics.Message;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeMirror;

/** Arrays: creation with sizes or initializers, and element reads and bounds. */
final class ArrayExpressions {

  /** The largest array the tracer allocates, so a bad size cannot exhaust javac's memory. */
  static final int MAX_LENGTH = 10_000_000;

  private ArrayExpressions() {}

  /** {@code new T[n][m]} or {@code new T[] {a, b}}. */
  static Value create(NewArrayTree tree, Frame frame) {
    TypeMirror component = frame.typeTrees().typeOf(tree.getType(), frame);
    if (tree.getInitializers() != null) {
      return initializer(tree, frame.types().getArrayType(component), frame);
    }
    List<Integer> dims = new ArrayList<>();
    for (ExpressionTree d : tree.getDimensions()) {
      int size = frame.toInt(frame.evaluate(d), d);
      if (size < 0 || size > MAX_LENGTH) {
        throw frame.error(
            d, Message.THROWS, "\"" + tree + "\"", "an array size of " + size + " is not allowed");
      }
      dims.add(size);
    }
    return allocate(component, dims, 0, frame);
  }

  private static ArrayValue allocate(
      TypeMirror component, List<Integer> dims, int level, Frame frame) {
    TypeMirror element = component;
    for (int i = level + 1; i < dims.size(); i++) {
      element = frame.types().getArrayType(element);
    }
    Value[] values = new Value[dims.get(level)];
    for (int i = 0; i < values.length; i++) {
      values[i] =
          level + 1 < dims.size()
              ? allocate(component, dims, level + 1, frame)
              : frame.typeTrees().defaultValue(element);
    }
    return new ArrayValue(element, values);
  }

  /** {@code {a, b}}: an array of {@code arrayType}, as written in a declaration. */
  static Value initializer(NewArrayTree tree, TypeMirror arrayType, Frame frame) {
    if (!(arrayType instanceof ArrayType array)) {
      throw frame.unsupported(tree, "an array initializer without a declared array type");
    }
    TypeMirror component = array.getComponentType();
    List<? extends ExpressionTree> inits = tree.getInitializers();
    Value[] values = new Value[inits.size()];
    for (int i = 0; i < values.length; i++) {
      ExpressionTree e = inits.get(i);
      values[i] =
          e instanceof NewArrayTree nested && nested.getType() == null
              ? initializer(nested, component, frame)
              : frame.typeTrees().coerce(frame.evaluate(e), component);
    }
    return new ArrayValue(component, values);
  }

  /** {@code a[i]}. */
  static Value read(ArrayAccessTree tree, Frame frame) {
    Value array = frame.evaluate(tree.getExpression());
    int index = frame.toInt(frame.evaluate(tree.getIndex()), tree.getIndex());
    if (!(array instanceof ArrayValue a)) {
      throw frame.unsupported(tree, "indexing " + array.describe());
    }
    checkIndex(tree, index, a, frame);
    return a.get(index);
  }

  /** An error unless {@code index} is inside {@code array}. */
  static void checkIndex(Tree tree, int index, ArrayValue array, Frame frame) {
    if (index < 0 || index >= array.length()) {
      throw frame.error(
          tree,
          Message.THROWS,
          "\"" + tree + "\"",
          "index " + index + " out of bounds for length " + array.length());
    }
  }
}
