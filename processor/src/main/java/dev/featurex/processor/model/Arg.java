package dev.featurex.processor.model;

import java.util.List;

/**
 * An argument of a node as generated code writes it: a node's value, or an expression the trace saw
 * built from known values (re-emitted as written, never a node).
 */
public sealed interface Arg {

  /** Adds the nodes this argument reads to {@code into}, in order of appearance. */
  void collectNodes(List<Integer> into);

  /** {@code visitor}'s method for this kind of argument. */
  <R> R accept(Visitor<R> visitor);

  /**
   * One method per kind of argument: a new kind does not compile until every visitor handles it.
   */
  interface Visitor<R> {
    /** A node's value. */
    R nodeRef(NodeRef arg);

    /** A literal. */
    R literal(Literal arg);

    /** An array creation. */
    R newArray(NewArray arg);

    /** An object creation. */
    R newObject(NewObject arg);

    /** A static field. */
    R staticField(StaticField arg);

    /** A static call. */
    R staticCall(StaticCall arg);

    /** A buffer of the model. */
    R bufferRead(BufferRead arg);

    /** A cast. */
    R cast(Cast arg);

    /** A string concatenation. */
    R concat(Concat arg);
  }

  /** Adds the nodes {@code args} read, in order. */
  static void collectNodes(List<Arg> args, List<Integer> into) {
    for (Arg arg : args) {
      arg.collectNodes(into);
    }
  }

  /** The value of node {@code node}. */
  record NodeRef(int node) implements Arg {
    @Override
    public void collectNodes(List<Integer> into) {
      into.add(node);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.nodeRef(this);
    }
  }

  /** A primitive, String or null literal. */
  record Literal(Object value) implements Arg {
    @Override
    public void collectNodes(List<Integer> into) {}

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.literal(this);
    }
  }

  /** {@code new <componentType>[] {elements}}. */
  record NewArray(String componentType, List<Arg> elements) implements Arg {
    /** Copies the elements. */
    public NewArray {
      elements = List.copyOf(elements);
    }

    @Override
    public void collectNodes(List<Integer> into) {
      Arg.collectNodes(elements, into);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.newArray(this);
    }
  }

  /** {@code new <type>(args)}. */
  record NewObject(String type, List<Arg> args) implements Arg {
    /** Copies the arguments. */
    public NewObject {
      args = List.copyOf(args);
    }

    @Override
    public void collectNodes(List<Integer> into) {
      Arg.collectNodes(args, into);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.newObject(this);
    }
  }

  /** {@code <type>.<name>}. */
  record StaticField(String type, String name) implements Arg {
    @Override
    public void collectNodes(List<Integer> into) {}

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.staticField(this);
    }
  }

  /** {@code <type>.<method>(args)}. */
  record StaticCall(String type, String method, List<Arg> args) implements Arg {
    /** Copies the arguments. */
    public StaticCall {
      args = List.copyOf(args);
    }

    @Override
    public void collectNodes(List<Integer> into) {
      Arg.collectNodes(args, into);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.staticCall(this);
    }
  }

  /**
   * A registered buffer of the model, read from the live model ({@code
   * named_buffers().get(qualifiedName)}, bound once). torch.fx makes buffers {@code get_attr} nodes
   * that torchvision does not list, so a buffer is an argument, not a node.
   */
  record BufferRead(String qualifiedName) implements Arg {
    @Override
    public void collectNodes(List<Integer> into) {}

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.bufferRead(this);
    }
  }

  /** {@code (<type>) arg}: keeps an overload choice that depended on a cast. */
  record Cast(String type, Arg arg) implements Arg {
    @Override
    public void collectNodes(List<Integer> into) {
      arg.collectNodes(into);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.cast(this);
    }
  }

  /** {@code a + b + c}: a string concatenation of known and traced parts (a guard's message). */
  record Concat(List<Arg> parts) implements Arg {
    /** Copies the parts. */
    public Concat {
      parts = List.copyOf(parts);
    }

    @Override
    public void collectNodes(List<Integer> into) {
      Arg.collectNodes(parts, into);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.concat(this);
    }
  }
}
