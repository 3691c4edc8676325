package dev.featurex.processor.trace;

import com.sun.source.tree.Tree;
import dev.featurex.processor.diagnostics.Message;
import dev.featurex.processor.model.Arg;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeMirror;

/** A {@code java.util.List} (or another JDK list type); mutable, with identity. */
public final class ListValue implements Value {

  private final List<Value> elements;
  private final boolean immutable;

  ListValue(List<Value> elements, boolean immutable) {
    this.elements = new ArrayList<>(elements);
    this.immutable = immutable;
  }

  /** The elements, in order (a copy). */
  List<Value> elements() {
    return List.copyOf(elements);
  }

  @Override
  public String describe() {
    return "a List of " + elements.size();
  }

  @Override
  public TypeMirror staticType(Symbols symbols) {
    return symbols.types.erasure(symbols.type("java.util.List").asType());
  }

  @Override
  public boolean isTraced() {
    return elements.stream().anyMatch(Value::isTraced);
  }

  @Override
  public Value invoke(String method, List<Value> args, Tree site, Frame frame) {
    switch (method + "/" + args.size()) {
      case "size/0":
        return new Value.Known(elements.size());
      case "isEmpty/0":
        return new Value.Known(elements.isEmpty());
      case "get/1":
        return elements.get(index(args.get(0), elements.size(), site, frame));
      case "contains/1":
        return new Value.Known(indexOf(args.get(0)) >= 0);
      case "indexOf/1":
        return new Value.Known(indexOf(args.get(0)));
      case "toArray/0":
        return new ArrayValue(frame.symbols().type("java.lang.Object").asType(), array());
      case "toArray/1":
        if (args.get(0) instanceof ArrayValue target) {
          return new ArrayValue(target.componentType(), array());
        }
        break;
      case "subList/2":
        int from = index(args.get(0), elements.size() + 1, site, frame);
        int to = index(args.get(1), elements.size() + 1, site, frame);
        return new ListValue(elements.subList(from, Math.max(from, to)), false);
      case "forEach/1":
        for (Value element : List.copyOf(elements)) {
          args.get(0).invoke("accept", List.of(element), site, frame);
        }
        return Value.Known.NULL;
      default:
        return mutate(method, args, site, frame);
    }
    throw unknown(method, site, frame);
  }

  private Value mutate(String method, List<Value> args, Tree site, Frame frame) {
    boolean mutator =
        switch (method) {
          case "add", "set", "addAll", "remove", "clear" -> true;
          default -> false;
        };
    if (!mutator) {
      throw unknown(method, site, frame);
    }
    if (immutable) {
      throw frame.error(
          site,
          Message.THROWS,
          "\"" + site + "\"",
          "UnsupportedOperationException: the list is immutable (List.of)");
    }
    switch (method + "/" + args.size()) {
      case "add/1":
        elements.add(args.get(0));
        return new Value.Known(true);
      case "add/2":
        elements.add(index(args.get(0), elements.size() + 1, site, frame), args.get(1));
        return Value.Known.NULL;
      case "set/2":
        return elements.set(index(args.get(0), elements.size(), site, frame), args.get(1));
      case "addAll/1":
        if (args.get(0) instanceof ListValue other) {
          elements.addAll(other.elements);
          return new Value.Known(true);
        }
        break;
      case "remove/1":
        return elements.remove(index(args.get(0), elements.size(), site, frame));
      case "clear/0":
        elements.clear();
        return Value.Known.NULL;
      default:
        break;
    }
    throw unknown(method, site, frame);
  }

  private Value[] array() {
    return elements.toArray(Value[]::new);
  }

  private int indexOf(Value wanted) {
    for (int i = 0; i < elements.size(); i++) {
      Value e = elements.get(i);
      if (e == wanted || (e instanceof Value.Known && e.equals(wanted))) {
        return i;
      }
    }
    return -1;
  }

  private static int index(Value v, int bound, Tree site, Frame frame) {
    int i = frame.toInt(v, site);
    if (i < 0 || i >= bound) {
      throw frame.error(
          site, Message.THROWS, "\"" + site + "\"", "index " + i + " out of bounds for " + bound);
    }
    return i;
  }

  private static RuntimeException unknown(String method, Tree site, Frame frame) {
    if (method.equals("stream") || method.equals("parallelStream")) {
      return frame.unsupported(
          site, "streams over a List (\"" + Describe.abbreviate(site) + "\"); write a for loop");
    }
    return frame.unsupported(
        site,
        "List."
            + method
            + " (the tracer follows add, get, set, size, isEmpty, contains, indexOf, addAll,"
            + " remove, clear, subList, toArray, forEach)");
  }

  @Override
  public Arg toArg(Tree site, Frame frame) {
    throw frame.unsupported(
        site,
        "passing a List to a traced call; generated code re-creates arrays (list.toArray(new"
            + " Tensor[0])) and native vectors (new TensorVector(...))");
  }

  /** The elements as an array value of {@code arrayType}'s components, for varargs and toArray. */
  static ArrayValue asArray(List<Value> values, TypeMirror arrayType) {
    return new ArrayValue(((ArrayType) arrayType).getComponentType(), values.toArray(Value[]::new));
  }
}
