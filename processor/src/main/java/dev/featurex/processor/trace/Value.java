package dev.featurex.processor.trace;

import dev.featurex.processor.structure.ModuleInstance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/**
 * The tracer's value domain: known Java values, Java objects and modules (with identity), opaque
 * native objects (carried, never inspected), and symbolic values (the output of a graph node).
 */
public sealed interface Value
    permits Value.Known,
        Value.ArrayValue,
        Value.ListValue,
        Value.ObjectValue,
        Value.Opaque,
        Value.Symbolic,
        Value.TypeRef {

  /** A Java value known at compile time: a boxed primitive, a String, or null. */
  record Known(Object value) implements Value {
    /** The null literal. */
    public static final Known NULL = new Known(null);
  }

  /** A Java array; mutable, with identity. */
  final class ArrayValue implements Value {
    final TypeMirror componentType;
    final Value[] elements;

    ArrayValue(TypeMirror componentType, Value[] elements) {
      this.componentType = componentType;
      this.elements = elements;
    }
  }

  /** A {@code java.util.List}; mutable, with identity. */
  final class ListValue implements Value {
    final List<Value> elements;

    ListValue(List<Value> elements) {
      this.elements = new ArrayList<>(elements);
    }
  }

  /**
   * An object of a class whose source the tracer reads (a Java module, a helper object), or a
   * built-in module. Modules carry their {@link ModuleInstance}.
   */
  final class ObjectValue implements Value {
    final TypeElement type;
    final Map<String, Value> fields = new LinkedHashMap<>();
    final ModuleInstance module;

    ObjectValue(TypeElement type, ModuleInstance module) {
      this.type = type;
      this.module = module;
    }

    /** The module this object is, or null. */
    public ModuleInstance module() {
      return module;
    }
  }

  /**
   * A native object the tracer does not look into (options, pointers, scalars), with the expression
   * that recreates it in generated code when it is known ({@code recipe} may be null).
   */
  record Opaque(TypeMirror type, Arg recipe) implements Value {}

  /** The value of graph node {@code node}, of Java type {@code type}. */
  record Symbolic(int node, TypeMirror type) implements Value {}

  /** A class name used as the receiver of a static member ({@code torch.flatten}). */
  record TypeRef(TypeElement type) implements Value {}
}
