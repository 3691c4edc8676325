package dev.featurex.processor.trace;

import com.sun.source.tree.Tree;
import dev.featurex.processor.diagnostics.Message;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/**
 * JDK methods on known values, run in the processor ({@code Math.max(a, b)}, {@code
 * String.format(...)}, {@code "a".equals(b)}, {@code Arrays.stream(widths).sum()}), and the JDK's
 * collection factories. Only pure classes are ever called (an allowlist): a model's source cannot
 * make the compiler exit, write files or open sockets.
 */
final class JdkCalls {

  /** Classes whose static methods may run: pure functions of their arguments. */
  private static final Set<String> STATIC_OWNERS =
      Set.of(
          "java.lang.Math",
          "java.lang.StrictMath",
          "java.lang.Integer",
          "java.lang.Long",
          "java.lang.Double",
          "java.lang.Float",
          "java.lang.Short",
          "java.lang.Byte",
          "java.lang.Character",
          "java.lang.Boolean",
          "java.lang.String",
          "java.util.Objects",
          "java.util.Arrays",
          "java.util.stream.IntStream",
          "java.util.stream.LongStream",
          "java.util.stream.DoubleStream");

  private JdkCalls() {}

  /** {@code owner.name(args)} for a JDK class. */
  static Value onStatic(TypeElement owner, String name, List<Value> args, Tree site, Frame frame) {
    String ownerName = owner.getQualifiedName().toString();
    switch (ownerName + "." + name) {
      case "java.util.List.of", "java.util.Set.of" -> {
        return new ListValue(spread(args), true);
      }
      case "java.util.List.copyOf", "java.util.Collections.unmodifiableList" -> {
        if (args.size() == 1 && args.get(0) instanceof ListValue list) {
          return new ListValue(list.elements(), true);
        }
      }
      case "java.util.Arrays.asList" -> {
        return new ListValue(spread(args), false);
      }
      case "java.util.Collections.nCopies" -> {
        if (args.size() == 2) {
          return new ListValue(
              java.util.Collections.nCopies(frame.toInt(args.get(0), site), args.get(1)), true);
        }
      }
      case "java.util.Arrays.fill" -> {
        if (args.size() == 2 && args.get(0) instanceof ArrayValue array) {
          for (int i = 0; i < array.length(); i++) {
            array.set(i, frame.typeTrees().coerce(args.get(1), array.componentType()));
          }
          return Value.Known.NULL;
        }
      }
      case "java.util.Arrays.copyOf" -> {
        if (args.size() == 2 && args.get(0) instanceof ArrayValue array) {
          int length = frame.toInt(args.get(1), site);
          Value[] copy = new Value[length];
          for (int i = 0; i < length; i++) {
            copy[i] =
                i < array.length()
                    ? array.get(i)
                    : frame.typeTrees().defaultValue(array.componentType());
          }
          return new ArrayValue(array.componentType(), copy);
        }
      }
      default -> {}
    }
    if (!STATIC_OWNERS.contains(ownerName)) {
      throw frame.unresolved(
          site,
          "the tracer runs JDK methods only of "
              + "Math, the boxed types, String, Objects, Arrays and the primitive streams");
    }
    try {
      return call(Class.forName(ownerName), null, name, args, site, frame);
    } catch (ClassNotFoundException e) {
      throw frame.unresolved(site, "the class is not available to the processor");
    }
  }

  /** {@code receiver.name(args)} on a known JDK value (a String, a boxed number, a stream...). */
  static Value onKnown(Object receiver, String name, List<Value> args, Tree site, Frame frame) {
    return call(receiver.getClass(), receiver, name, args, site, frame);
  }

  private static List<Value> spread(List<Value> args) {
    return args.size() == 1 && args.get(0) instanceof ArrayValue a ? a.elements() : args;
  }

  private static Value call(
      Class<?> owner, Object receiver, String name, List<Value> args, Tree site, Frame frame) {
    Object[] values = new Object[args.size()];
    for (int i = 0; i < values.length; i++) {
      Object v = toJava(args.get(i));
      if (v == NOT_KNOWN) {
        if (args.get(i).isTraced()) {
          throw frame.unsupported(
              site, "a JDK method on traced values (\"" + site + "\"); use a torch function");
        }
        throw frame.unresolved(site, "its arguments are not known when tracing");
      }
      values[i] = v;
    }
    for (Method m : publicMethods(owner)) {
      if (!m.getName().equals(name) || Modifier.isStatic(m.getModifiers()) != (receiver == null)) {
        continue;
      }
      Object[] actual = fit(m, values);
      if (actual == null) {
        continue;
      }
      Object result;
      try {
        result = m.invoke(receiver, actual);
      } catch (InvocationTargetException e) {
        throw frame.error(site, Message.THROWS, "\"" + site + "\"", e.getCause().toString());
      } catch (ReflectiveOperationException | IllegalArgumentException e) {
        continue;
      }
      return fromJava(result, m.getReturnType(), site, frame);
    }
    throw frame.unresolved(site, "not a JDK method on known values that the tracer can run");
  }

  /**
   * The public methods callable on {@code owner}, each declared by a public class or interface (a
   * stream's class is private; its methods are called through {@code IntStream}).
   */
  private static List<Method> publicMethods(Class<?> owner) {
    List<Method> methods = new ArrayList<>();
    for (Method m : owner.getMethods()) {
      Method accessible = accessible(owner, m);
      if (accessible != null) {
        methods.add(accessible);
      }
    }
    return methods;
  }

  private static Method accessible(Class<?> type, Method m) {
    if (Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
      return m;
    }
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        try {
          Method found = i.getMethod(m.getName(), m.getParameterTypes());
          if (Modifier.isPublic(found.getDeclaringClass().getModifiers())) {
            return found;
          }
        } catch (NoSuchMethodException e) {
          // not this interface's
        }
      }
    }
    return null;
  }

  private static final Object NOT_KNOWN = new Object();

  /** A value as a Java object: known values, arrays of them; NOT_KNOWN otherwise. */
  private static Object toJava(Value v) {
    if (v instanceof Value.Known k) {
      return k.value();
    }
    if (v instanceof ArrayValue a) {
      Class<?> component = componentClass(a.componentType());
      if (component == null) {
        return NOT_KNOWN;
      }
      Object array = Array.newInstance(component, a.length());
      for (int i = 0; i < a.length(); i++) {
        Object e = toJava(a.get(i));
        if (e == NOT_KNOWN || (e == null && component.isPrimitive())) {
          return NOT_KNOWN;
        }
        Array.set(array, i, component.isPrimitive() ? convert(e, component) : e);
      }
      return array;
    }
    return NOT_KNOWN;
  }

  private static Class<?> componentClass(TypeMirror type) {
    return switch (type.getKind()) {
      case INT -> int.class;
      case LONG -> long.class;
      case DOUBLE -> double.class;
      case FLOAT -> float.class;
      case BOOLEAN -> boolean.class;
      case CHAR -> char.class;
      case SHORT -> short.class;
      case BYTE -> byte.class;
      case DECLARED -> type.toString().equals("java.lang.String") ? String.class : Object.class;
      default -> null;
    };
  }

  /**
   * The arguments converted to {@code m}'s parameters (varargs packed), or null if they do not fit.
   */
  private static Object[] fit(Method m, Object[] values) {
    Class<?>[] params = m.getParameterTypes();
    if (m.isVarArgs()
        && !(values.length == params.length
            && fits(params[params.length - 1], values[values.length - 1]))) {
      int fixed = params.length - 1;
      if (values.length < fixed) {
        return null;
      }
      Class<?> component = params[fixed].getComponentType();
      Object rest = Array.newInstance(component, values.length - fixed);
      for (int i = fixed; i < values.length; i++) {
        if (!fits(component, values[i])) {
          return null;
        }
        Array.set(rest, i - fixed, convert(values[i], component));
      }
      Object[] out = new Object[params.length];
      for (int i = 0; i < fixed; i++) {
        if (!fits(params[i], values[i])) {
          return null;
        }
        out[i] = convert(values[i], params[i]);
      }
      out[fixed] = rest;
      return out;
    }
    if (params.length != values.length) {
      return null;
    }
    Object[] out = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      if (!fits(params[i], values[i])) {
        return null;
      }
      out[i] = convert(values[i], params[i]);
    }
    return out;
  }

  private static boolean fits(Class<?> param, Object v) {
    if (v == null) {
      return !param.isPrimitive();
    }
    if (param.isPrimitive()) {
      return param == boolean.class
          ? v instanceof Boolean
          : param == char.class ? v instanceof Character : widens(v, param);
    }
    return param.isInstance(v);
  }

  private static boolean widens(Object v, Class<?> p) {
    int from = rank(v.getClass());
    int to = rank(p);
    return from >= 0 && to >= 0 && (to >= from || (v instanceof Character && to >= 2));
  }

  private static int rank(Class<?> c) {
    if (c == Byte.class || c == byte.class) {
      return 0;
    } else if (c == Short.class || c == short.class) {
      return 1;
    } else if (c == Character.class || c == char.class || c == Integer.class || c == int.class) {
      return 2;
    } else if (c == Long.class || c == long.class) {
      return 3;
    } else if (c == Float.class || c == float.class) {
      return 4;
    } else if (c == Double.class || c == double.class) {
      return 5;
    }
    return -1;
  }

  private static Object convert(Object v, Class<?> p) {
    if (!p.isPrimitive() || p == boolean.class || (p == char.class && v instanceof Character)) {
      return v;
    }
    Number n = v instanceof Character c ? (Number) (int) c : (Number) v;
    if (p == long.class) {
      return n.longValue();
    } else if (p == double.class) {
      return n.doubleValue();
    } else if (p == float.class) {
      return n.floatValue();
    } else if (p == int.class) {
      return n.intValue();
    } else if (p == short.class) {
      return n.shortValue();
    } else if (p == byte.class) {
      return n.byteValue();
    }
    return (char) n.intValue();
  }

  /** A JDK result as a value: known values, arrays and lists of them, or JDK values (streams). */
  private static Value fromJava(Object result, Class<?> declared, Tree site, Frame frame) {
    if (result == null
        || result instanceof String
        || result instanceof Number
        || result instanceof Boolean
        || result instanceof Character) {
      return new Value.Known(result);
    }
    if (result.getClass().isArray()) {
      Class<?> component = result.getClass().getComponentType();
      TypeMirror type =
          component.isPrimitive()
              ? frame.types().getPrimitiveType(primitiveKind(component))
              : frame.symbols().type(component.getCanonicalName()).asType();
      Value[] values = new Value[Array.getLength(result)];
      for (int i = 0; i < values.length; i++) {
        values[i] = fromJava(Array.get(result, i), component, site, frame);
      }
      return new ArrayValue(type, values);
    }
    if (result instanceof List<?> list) {
      List<Value> values = new ArrayList<>();
      for (Object e : list) {
        values.add(fromJava(e, Object.class, site, frame));
      }
      return new ListValue(values, true);
    }
    if (result.getClass().getName().startsWith("java.util.")) {
      return new Value.Known(result); // a stream or an Optional, for the next call in the chain
    }
    throw frame.unsupported(site, "a JDK call that returns a " + declared.getSimpleName());
  }

  private static javax.lang.model.type.TypeKind primitiveKind(Class<?> c) {
    return javax.lang.model.type.TypeKind.valueOf(c.getName().toUpperCase(java.util.Locale.ROOT));
  }
}
