package dev.featurex.processor.trace;

import com.sun.source.tree.Tree;
import dev.featurex.processor.model.Arg;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.type.TypeMirror;

/** A Java array; mutable, with identity. */
public final class ArrayValue implements Value {

  private final TypeMirror componentType;
  private final Value[] elements;

  ArrayValue(TypeMirror componentType, Value[] elements) {
    this.componentType = componentType;
    this.elements = elements;
  }

  TypeMirror componentType() {
    return componentType;
  }

  int length() {
    return elements.length;
  }

  Value get(int index) {
    return elements[index];
  }

  void set(int index, Value value) {
    elements[index] = value;
  }

  /** The elements, in order (a copy). */
  List<Value> elements() {
    return List.of(elements);
  }

  @Override
  public String describe() {
    return "an array of " + elements.length;
  }

  @Override
  public TypeMirror staticType(Symbols symbols) {
    return symbols.types.getArrayType(componentType);
  }

  @Override
  public boolean isTraced() {
    for (Value v : elements) {
      if (v.isTraced()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Value invoke(String method, List<Value> args, Tree site, Frame frame) {
    if (method.equals("clone") && args.isEmpty()) {
      return new ArrayValue(componentType, elements.clone());
    }
    throw frame.unresolved(site, "arrays have no method " + method + " the tracer follows");
  }

  @Override
  public Value select(String member, Tree site, Frame frame) {
    if (member.equals("length")) {
      return new Value.Known(elements.length);
    }
    return Value.super.select(member, site, frame);
  }

  @Override
  public Arg toArg(Tree site, Frame frame) {
    List<Arg> args = new ArrayList<>(elements.length);
    for (Value e : elements) {
      args.add(e.toArg(site, frame));
    }
    return new Arg.NewArray(frame.typeTrees().written(componentType), args);
  }
}
