package dev.featurex.processor.trace;

import com.sun.source.tree.Tree;
import dev.featurex.processor.model.Arg;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/**
 * An object of a class whose source the tracer reads that is not a module: a configuration object,
 * a record, an enum constant, a helper. Mutable, with identity.
 */
public final class ObjectValue implements Instance {

  private final TypeElement type;
  private final Map<String, Value> fields = new LinkedHashMap<>();
  private String enumName;
  private int enumOrdinal = -1;
  private final boolean fresh;

  /**
   * An object of {@code type}; {@code fresh} when {@code forward} makes it (each call makes its
   * own), not the constructor or a static initialiser (then it lives on between calls).
   */
  ObjectValue(TypeElement type, boolean fresh) {
    this.type = type;
    this.fresh = fresh;
  }

  /** Whether {@code forward} made the object, so that each call has its own. */
  boolean fresh() {
    return fresh;
  }

  @Override
  public TypeElement type() {
    return type;
  }

  @Override
  public Map<String, Value> fields() {
    return fields;
  }

  /** The name of the enum constant this object is, or null. */
  String enumName() {
    return enumName;
  }

  /** Marks this object as the enum constant {@code name}, declared {@code ordinal}-th. */
  void makeEnumConstant(String name, int ordinal) {
    this.enumName = name;
    this.enumOrdinal = ordinal;
  }

  @Override
  public String describe() {
    return enumName != null
        ? "the constant " + type.getSimpleName() + "." + enumName
        : "a " + type.getSimpleName();
  }

  @Override
  public TypeMirror staticType(Symbols symbols) {
    return symbols.types.erasure(type.asType());
  }

  @Override
  public boolean isTraced() {
    return false;
  }

  @Override
  public Value invoke(String method, List<Value> args, Tree site, Frame frame) {
    if (enumName != null && args.isEmpty()) {
      switch (method) {
        case "name", "toString" -> {
          return new Value.Known(enumName);
        }
        case "ordinal" -> {
          return new Value.Known(enumOrdinal);
        }
        default -> {}
      }
    }
    return frame.invocations().callMethod(this, type, method, args, site, frame);
  }

  @Override
  public Arg toArg(Tree site, Frame frame) {
    throw frame.unsupported(
        site,
        "passing "
            + describe()
            + " to a traced call (generated code can re-create known values, arrays of them and"
            + " native objects built from them)");
  }
}
