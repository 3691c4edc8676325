package dev.featurex.runtime.weights;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values a checkpoint's pickle is read into. Python's {@code None}, {@code bool}, {@code int},
 * {@code float}, {@code str} and {@code bytes} become {@code null}, {@link Boolean}, {@link Long}
 * (or {@link java.math.BigInteger}), {@link Double}, {@link String} and {@code byte[]}; a {@code
 * list} becomes a {@link java.util.ArrayList}; the rest are the types below. Nothing here runs
 * code: a global is only ever a name from the allowlist ({@link TorchGlobals}).
 */
final class PyValues {

  private PyValues() {}

  /** A Python {@code tuple}. */
  record PyTuple(List<Object> items) {
    PyTuple {
      Object[] copy = items.toArray();
      for (int i = 0; i < copy.length; i++) {
        copy[i] = nonNull(copy[i]);
      }
      items = List.of(copy);
    }

    /** The items, with Python's {@code None} as {@code null}. */
    List<Object> values() {
      return items.stream().map(PyValues::nullable).toList();
    }

    int size() {
      return items.size();
    }

    Object get(int i) {
      return nullable(items.get(i));
    }
  }

  /**
   * A Python {@code dict} or {@code collections.OrderedDict}, in insertion order, with the
   * attributes a {@code BUILD} gave it (a state dict's {@code _metadata}). Keys are atoms only
   * (str, int, float, bool, None), so no key is ever hashed recursively.
   */
  static final class PyDict {
    final Map<Object, Object> entries = new LinkedHashMap<>();
    final Map<String, Object> attributes = new LinkedHashMap<>();
    final boolean ordered;

    PyDict(boolean ordered) {
      this.ordered = ordered;
    }
  }

  /** An allowlisted global, by its Python name ({@code torch._utils._rebuild_tensor_v2}). */
  record PyGlobal(String module, String name) {
    @Override
    public String toString() {
      return module + "." + name;
    }
  }

  /** Python's {@code None} inside immutable collections, which refuse {@code null}. */
  enum None {
    NONE
  }

  static Object nonNull(Object value) {
    return value == null ? None.NONE : value;
  }

  static Object nullable(Object value) {
    return value == None.NONE ? null : value;
  }

  /** How a Python user would name the type of {@code value}: "an int", "a dict", "a Tensor". */
  static String describe(Object value) {
    if (value == null || value == None.NONE) {
      return "None";
    } else if (value instanceof Boolean) {
      return "a bool";
    } else if (value instanceof Long || value instanceof java.math.BigInteger) {
      return "an int";
    } else if (value instanceof Double) {
      return "a float";
    } else if (value instanceof String) {
      return "a str";
    } else if (value instanceof byte[]) {
      return "a bytes";
    } else if (value instanceof List) {
      return "a list";
    } else if (value instanceof PyTuple) {
      return "a tuple";
    } else if (value instanceof PyDict dict) {
      return dict.ordered ? "an OrderedDict" : "a dict";
    } else if (value instanceof TensorRef) {
      return "a Tensor";
    } else if (value instanceof StorageView) {
      return "a storage";
    } else if (value instanceof PyGlobal global) {
      return "the global " + global;
    }
    return "a " + value.getClass().getSimpleName();
  }
}
