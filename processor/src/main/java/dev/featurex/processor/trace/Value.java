package dev.featurex.processor.trace;

import com.sun.source.tree.Tree;
import dev.featurex.processor.model.Arg;
import dev.featurex.processor.model.TypeNames;
import java.util.List;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/**
 * The tracer's values. Each kind says itself how it behaves where it matters: how messages name it,
 * its static type (for overloads), whether it holds traced values, what a method call on it means,
 * and how generated code writes it as an argument of a node. A new kind of value does not compile
 * until it answers all of these.
 */
public sealed interface Value
    permits Value.Known,
        Value.TypeRef,
        Value.Symbolic,
        ArrayValue,
        ListValue,
        Instance,
        Opaque,
        TensorRef,
        FunctionValue {

  /** How messages name the value: {@code the value 3}, {@code a traced Tensor}. */
  String describe();

  /** The value's static type, to choose overloads; null for {@code null}. */
  TypeMirror staticType(Symbols symbols);

  /** Whether the value is, or holds, the value of a graph node. */
  boolean isTraced();

  /** {@code this.method(args)}, at {@code site}. */
  Value invoke(String method, List<Value> args, Tree site, Frame frame);

  /** How generated code writes the value as an argument of a node; an error when it cannot. */
  Arg toArg(Tree site, Frame frame);

  /** {@code this.member} (a field read); an error unless the kind has members. */
  default Value select(String member, Tree site, Frame frame) {
    throw frame.unsupported(site, "the field access \"" + site + "\" on " + describe());
  }

  /** A Java value known when tracing: a boxed primitive, a String, or null. */
  record Known(Object value) implements Value {

    /** The null literal. */
    public static final Known NULL = new Known(null);

    @Override
    public String describe() {
      return value == null
          ? "null"
          : value instanceof String s ? "the string \"" + s + "\"" : "the value " + value;
    }

    @Override
    public TypeMirror staticType(Symbols symbols) {
      return value == null ? null : symbols.knownType(value);
    }

    @Override
    public boolean isTraced() {
      return false;
    }

    @Override
    public Value invoke(String method, List<Value> args, Tree site, Frame frame) {
      if (value == null) {
        throw frame.error(
            site,
            dev.featurex.processor.diagnostics.Message.THROWS,
            "\"" + site + "\"",
            "a call of " + method + " on null");
      }
      return JdkCalls.onKnown(value, method, args, site, frame);
    }

    @Override
    public Arg toArg(Tree site, Frame frame) {
      return new Arg.Literal(value);
    }

    /** Whether this is {@code true}. */
    boolean isTrue() {
      return Boolean.TRUE.equals(value);
    }
  }

  /** A class named as the receiver of a static member ({@code torch.flatten}, {@code Math.max}). */
  record TypeRef(TypeElement type) implements Value {

    @Override
    public String describe() {
      return "the class " + type.getSimpleName();
    }

    @Override
    public TypeMirror staticType(Symbols symbols) {
      return null;
    }

    @Override
    public boolean isTraced() {
      return false;
    }

    @Override
    public Value invoke(String method, List<Value> args, Tree site, Frame frame) {
      return frame.invocations().callStatic(type, method, args, site, frame);
    }

    @Override
    public Arg toArg(Tree site, Frame frame) {
      throw frame.unsupported(site, "passing " + describe() + " as a value");
    }

    @Override
    public Value select(String member, Tree site, Frame frame) {
      Value field = frame.statics().read(type, member, site, frame);
      if (field != null) {
        return frame.phase().read(field, site, frame);
      }
      TypeElement nested = frame.symbols().memberType(type, member);
      if (nested != null) {
        return new TypeRef(nested);
      }
      return Value.super.select(member, site, frame);
    }
  }

  /**
   * The value of graph node {@code node}, of Java type {@code type}. Methods called on it are nodes
   * too.
   */
  record Symbolic(int node, TypeMirror type) implements Value {

    @Override
    public String describe() {
      return "a traced " + TypeNames.simpleName(String.valueOf(type));
    }

    @Override
    public TypeMirror staticType(Symbols symbols) {
      return type;
    }

    @Override
    public boolean isTraced() {
      return true;
    }

    @Override
    public Value invoke(String method, List<Value> args, Tree site, Frame frame) {
      return frame.phase().methodOnTraced(this, method, args, site, frame);
    }

    @Override
    public Arg toArg(Tree site, Frame frame) {
      return new Arg.NodeRef(node);
    }
  }
}
