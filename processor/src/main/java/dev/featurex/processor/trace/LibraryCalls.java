package dev.featurex.processor.trace;

import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import dev.featurex.processor.Message;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Calls into code without source: {@code torch.*} functions (a node when a traced value is an
 * argument, an opaque constant otherwise), native objects (carried, not followed), {@code List}s,
 * and JDK methods on known values, which run in the processor.
 */
final class LibraryCalls {

  private final Invoker inv;
  private final Interpreter interp;
  private final Calls calls;

  LibraryCalls(Invoker inv, Calls calls) {
    this.inv = inv;
    this.interp = inv.interpreter;
    this.calls = calls;
  }

  Value libraryStatic(
      TypeElement owner,
      ExecutableElement method,
      String name,
      List<Value> args,
      MethodInvocationTree tree,
      Frame frame) {
    String ownerName = owner.getQualifiedName().toString();
    String ownerKey = TypeNames.of(owner);
    if (Calls.anySymbolic(args)) {
      if (inv.tracer == null || method == null) {
        throw calls.unresolved(
            tree,
            frame,
            method == null
                ? "no " + owner.getSimpleName() + "." + name + " takes these arguments"
                : "traced values outside forward");
      }
      TypeMirror result = method.getReturnType();
      if (result.getKind() == TypeKind.VOID) {
        throw interp.error(
            tree,
            frame,
            Message.UNSUPPORTED,
            "a void function on traced values (\"" + tree + "\")");
      }
      TracedNode.FunctionCall call =
          new TracedNode.FunctionCall(ownerKey, name, calls.args(args, tree, frame));
      return new Value.Symbolic(
          inv.tracer.functionCall(frame.scope, call, calls.typeName(result)), result);
    }
    if (ownerName.startsWith("java.")) {
      if ((ownerName.equals("java.util.List") && name.equals("of"))
          || (ownerName.equals("java.util.Arrays") && name.equals("asList"))) {
        List<Value> items =
            args.size() == 1 && args.get(0) instanceof Value.ArrayValue a
                ? List.of(a.elements)
                : args;
        return new Value.ListValue(items);
      }
      try {
        return reflect(Class.forName(ownerName), null, name, args, tree, frame);
      } catch (ClassNotFoundException e) {
        throw calls.unresolved(tree, frame, "the class is not available to the processor");
      }
    }
    if (method == null) {
      throw calls.unresolved(
          tree, frame, "no " + owner.getSimpleName() + "." + name + " takes these arguments");
    }
    return new Value.Opaque(
        method.getReturnType(),
        calls.recipe(args, list -> new Arg.StaticCall(ownerKey, name, list)));
  }

  Value libraryObject(TypeElement type, List<Value> args, Tree tree, Frame frame) {
    String name = type.getQualifiedName().toString();
    String key = TypeNames.of(type);
    if (name.startsWith("java.util.") && name.endsWith("List")) {
      return new Value.ListValue(
          args.size() == 1 && args.get(0) instanceof Value.ListValue l ? l.elements : List.of());
    }
    return new Value.Opaque(
        inv.symbols.types.erasure(type.asType()),
        calls.recipe(args, list -> new Arg.NewObject(key, list)));
  }

  Value onOpaque(
      Value.Opaque opaque, String name, List<Value> args, MethodInvocationTree tree, Frame frame) {
    if (inv.tracer != null && Calls.anySymbolic(args)) {
      throw interp.error(
          tree,
          frame,
          Message.UNSUPPORTED,
          "passing traced values to a method of a native object (\"" + tree + "\")");
    }
    TypeElement type = Symbols.asTypeElement(opaque.type());
    ExecutableElement method =
        type == null ? null : inv.symbols.choose(inv.symbols.methods(type, name), args);
    return new Value.Opaque(method == null ? opaque.type() : method.getReturnType(), null);
  }

  Value onList(
      Value.ListValue list, String name, List<Value> args, MethodInvocationTree tree, Frame frame) {
    List<Value> e = list.elements;
    switch (name + "/" + args.size()) {
      case "add/1":
        e.add(args.get(0));
        return new Value.Known(true);
      case "add/2":
        e.add(interp.toInt(args.get(0), tree, frame), args.get(1));
        return Value.Known.NULL;
      case "get/1":
        return e.get(index(list, args.get(0), tree, frame));
      case "set/2":
        return e.set(index(list, args.get(0), tree, frame), args.get(1));
      case "size/0":
        return new Value.Known(e.size());
      case "isEmpty/0":
        return new Value.Known(e.isEmpty());
      case "addAll/1":
        if (args.get(0) instanceof Value.ListValue other) {
          e.addAll(other.elements);
          return new Value.Known(true);
        }
        break;
      case "remove/1":
        return e.remove(index(list, args.get(0), tree, frame));
      case "clear/0":
        e.clear();
        return Value.Known.NULL;
      default:
        break;
    }
    throw interp.error(
        tree,
        frame,
        Message.UNSUPPORTED,
        "List."
            + name
            + " (the tracer follows add, get, set, size, isEmpty, addAll, remove, clear)");
  }

  private int index(Value.ListValue list, Value v, Tree tree, Frame frame) {
    int i = interp.toInt(v, tree, frame);
    if (i < 0 || i >= list.elements.size()) {
      throw interp.error(
          tree,
          frame,
          Message.THROWS,
          "\"" + tree + "\"",
          "index " + i + " out of bounds for size " + list.elements.size());
    }
    return i;
  }

  /**
   * A JDK method on known values, run in the processor: {@code Math.max}, {@code String.format}.
   */
  Value reflect(
      Class<?> owner, Object receiver, String name, List<Value> args, Tree tree, Frame frame) {
    Object[] values = new Object[args.size()];
    for (int i = 0; i < values.length; i++) {
      if (!(args.get(i) instanceof Value.Known k)) {
        throw calls.unresolved(tree, frame, "its arguments are not known when tracing");
      }
      values[i] = k.value();
    }
    for (Method m : owner.getMethods()) {
      if (!m.getName().equals(name)
          || m.getParameterCount() != values.length
          || m.isVarArgs()
          || Modifier.isStatic(m.getModifiers()) != (receiver == null)
          || !fits(m.getParameterTypes(), values)) {
        continue;
      }
      try {
        Object result = m.invoke(receiver, convert(m.getParameterTypes(), values));
        if (result == null
            || result instanceof String
            || result instanceof Number
            || result instanceof Boolean
            || result instanceof Character) {
          return new Value.Known(result);
        }
      } catch (ReflectiveOperationException | IllegalArgumentException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        throw interp.error(tree, frame, Message.THROWS, "\"" + tree + "\"", cause.toString());
      }
    }
    throw calls.unresolved(tree, frame, "not a JDK method on known values that the tracer can run");
  }

  private static boolean fits(Class<?>[] params, Object[] values) {
    for (int i = 0; i < params.length; i++) {
      Object v = values[i];
      Class<?> p = params[i];
      if (v == null
          ? p.isPrimitive()
          : !(box(p).isInstance(v)
              || (p.isPrimitive()
                  && v instanceof Number
                  && p != boolean.class
                  && p != char.class
                  && widens(v, p)))) {
        return false;
      }
    }
    return true;
  }

  private static boolean widens(Object v, Class<?> p) {
    int from =
        v instanceof Byte
            ? 0
            : v instanceof Short
                ? 1
                : v instanceof Integer ? 2 : v instanceof Long ? 3 : v instanceof Float ? 4 : 5;
    int to =
        p == byte.class
            ? 0
            : p == short.class
                ? 1
                : p == int.class ? 2 : p == long.class ? 3 : p == float.class ? 4 : 5;
    return to >= from;
  }

  private static Object[] convert(Class<?>[] params, Object[] values) {
    Object[] out = values.clone();
    for (int i = 0; i < params.length; i++) {
      if (params[i].isPrimitive() && out[i] instanceof Number n) {
        Class<?> p = params[i];
        out[i] =
            p == long.class
                ? (Object) n.longValue()
                : p == double.class
                    ? (Object) n.doubleValue()
                    : p == float.class
                        ? (Object) n.floatValue()
                        : p == int.class ? (Object) n.intValue() : out[i];
      }
    }
    return out;
  }

  private static Class<?> box(Class<?> p) {
    if (!p.isPrimitive()) return p;
    if (p == int.class) return Integer.class;
    if (p == long.class) return Long.class;
    if (p == double.class) return Double.class;
    if (p == float.class) return Float.class;
    if (p == boolean.class) return Boolean.class;
    if (p == char.class) return Character.class;
    if (p == short.class) return Short.class;
    return Byte.class;
  }
}
