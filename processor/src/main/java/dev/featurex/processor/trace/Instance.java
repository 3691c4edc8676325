package dev.featurex.processor.trace;

import com.sun.source.tree.Tree;
import java.util.Map;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/** An object of a class whose fields the tracer keeps: a Java object or a module. */
public sealed interface Instance extends Value permits ObjectValue, ModuleValue {

  /** The object's class (its runtime class: calls dispatch on it). */
  TypeElement type();

  /** The instance fields assigned so far, by name. */
  Map<String, Value> fields();

  /** Reads instance field {@code name}; null when the class has no such instance field. */
  default Value readField(String name, Tree site, Frame frame) {
    VariableElement field = frame.symbols().field(type(), name);
    if (field == null) {
      return null;
    }
    if (Symbols.isStatic(field)) {
      return frame.statics().read(Symbols.owner(field), name, site, frame);
    }
    Value value = fields().get(name);
    if (value == null) {
      value = frame.typeTrees().defaultValue(field.asType());
    }
    frame.phase().observe(this, name, value, site, frame);
    return value;
  }

  /** Assigns instance field {@code name}, converting as Java's assignment does. */
  default void writeField(String name, Value value, Tree site, Frame frame) {
    VariableElement field = frame.symbols().field(type(), name);
    if (field == null) {
      throw frame.unsupported(
          site, "assigning \"" + name + "\", which is not a field the tracer can see");
    }
    if (Symbols.isStatic(field)) {
      frame.statics().write(Symbols.owner(field), name, value, site, frame);
      return;
    }
    fields().put(name, frame.typeTrees().coerce(value, field.asType()));
  }

  @Override
  default Value select(String member, Tree site, Frame frame) {
    Value value = readField(member, site, frame);
    if (value == null) {
      throw frame.unsupported(site, "the field access \"" + site + "\" on " + describe());
    }
    return frame.phase().read(value, site, frame);
  }
}
