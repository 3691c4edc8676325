package dev.featurex.processor.trace;

import java.util.List;

/**
 * An argument of a node as generated code writes it: a node's value, or a constant expression that
 * the trace saw built from known values (re-emitted, never a node).
 */
public sealed interface Arg {

  /** The value of node {@code node}. */
  record NodeRef(int node) implements Arg {}

  /** A primitive, String or null literal. */
  record Literal(Object value) implements Arg {}

  /** {@code new <componentType>[] {elements}}. */
  record NewArray(String componentType, List<Arg> elements) implements Arg {}

  /** {@code new <type>(args)}. */
  record NewObject(String type, List<Arg> args) implements Arg {}

  /** {@code <type>.<name>}. */
  record StaticField(String type, String name) implements Arg {}

  /** {@code <type>.<method>(args)}. */
  record StaticCall(String type, String method, List<Arg> args) implements Arg {}

  /** {@code (<type>) arg}: keeps an overload choice that depended on a cast. */
  record Cast(String type, Arg arg) implements Arg {}

  /** The nodes this argument reads, in order of appearance. */
  default void collectNodes(List<Integer> into) {
    if (this instanceof NodeRef r) {
      into.add(r.node());
    } else if (this instanceof NewArray a) {
      a.elements().forEach(e -> e.collectNodes(into));
    } else if (this instanceof NewObject o) {
      o.args().forEach(e -> e.collectNodes(into));
    } else if (this instanceof StaticCall c) {
      c.args().forEach(e -> e.collectNodes(into));
    } else if (this instanceof Cast c) {
      c.arg().collectNodes(into);
    }
  }
}
