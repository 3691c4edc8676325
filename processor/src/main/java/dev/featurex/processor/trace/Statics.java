package dev.featurex.processor.trace;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import dev.featurex.processor.diagnostics.Message;
import dev.featurex.processor.model.Arg;
import dev.featurex.processor.model.TypeNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/**
 * Static fields, as Java initialises them: compile-time constants come from javac; a class with
 * source gets its static initialisers and blocks run, once per configuration, the first time one of
 * its fields is read; a library class's static field is a native value re-emitted by name. {@code
 * forward} may not read a non-final static field of a class with source: the graph would keep its
 * compile-time value and no guard could tell when it changes.
 */
final class Statics {

  private final Map<TypeElement, Map<String, Value>> state = new HashMap<>();

  /**
   * How many classes are having their static initialisers run: those read a non-final field with
   * the value it has when the class is initialised, at run time as here, so the read is allowed.
   */
  private int initializing;

  /** Whether static initialisers are running (what they make lives on between calls). */
  boolean initializing() {
    return initializing > 0;
  }

  /** The value of static field {@code name} of {@code owner} (or a supertype), or null if none. */
  Value read(TypeElement owner, String name, Tree site, Frame frame) {
    VariableElement field = frame.symbols().field(owner, name);
    if (field == null || !Symbols.isStatic(field)) {
      return null;
    }
    TypeElement declaring = Symbols.owner(field);
    if (field.getConstantValue() != null) {
      return frame.typeTrees().coerce(new Value.Known(field.getConstantValue()), field.asType());
    }
    if (!frame.env().hasSource(declaring)) {
      return new Opaque(
          field.asType(),
          new Arg.StaticField(TypeNames.of(declaring), name),
          frame.phase().tracesForward());
    }
    Value value = initialized(declaring, site, frame).get(name);
    if (value == null) {
      value = frame.typeTrees().defaultValue(field.asType());
    }
    if (frame.phase().tracesForward()
        && initializing == 0
        && !field.getModifiers().contains(Modifier.FINAL)) {
      throw frame.error(
          site, Message.MUTABLE_STATIC, declaring.getSimpleName() + "." + name, value.describe());
    }
    return value;
  }

  /** Assigns static field {@code name} of {@code owner}, a class with source. */
  void write(TypeElement owner, String name, Value value, Tree site, Frame frame) {
    VariableElement field = frame.symbols().field(owner, name);
    TypeElement declaring = field == null ? owner : Symbols.owner(field);
    if (!frame.env().hasSource(declaring)) {
      throw frame.unsupported(site, "assigning a static field of a library class");
    }
    initialized(declaring, site, frame)
        .put(name, frame.typeTrees().coerce(value, field == null ? null : field.asType()));
  }

  /** The constants of an enum with source, in declaration order. */
  List<Value> enumConstants(TypeElement type, Tree site, Frame frame) {
    Map<String, Value> fields = initialized(type, site, frame);
    List<Value> constants = new ArrayList<>();
    for (VariableElement f :
        javax.lang.model.util.ElementFilter.fieldsIn(type.getEnclosedElements())) {
      if (f.getKind() == ElementKind.ENUM_CONSTANT) {
        constants.add(fields.get(f.getSimpleName().toString()));
      }
    }
    return constants;
  }

  private Map<String, Value> initialized(TypeElement type, Tree site, Frame caller) {
    Map<String, Value> fields = state.get(type);
    if (fields != null) {
      return fields;
    }
    fields = new LinkedHashMap<>();
    state.put(type, fields); // before running: initialisers may read the class's own fields
    initializing++;
    try {
      run(type, fields, caller);
    } finally {
      initializing--;
    }
    return fields;
  }

  /** Runs the static initialisers and blocks of {@code type} into {@code fields}. */
  private static void run(TypeElement type, Map<String, Value> fields, Frame caller) {
    Frame frame = caller.callee(null, type, caller.scope());
    ClassTree tree = caller.env().classTree(type);
    int ordinal = 0;
    for (Tree member : tree.getMembers()) {
      if (member instanceof VariableTree v
          && v.getModifiers().getFlags().contains(Modifier.STATIC)
          && v.getInitializer() != null) {
        TypeMirror fieldType = frame.typeTrees().typeOf(v.getType(), frame);
        Value value =
            v.getInitializer() instanceof NewArrayTree array && array.getType() == null
                ? Expressions.INSTANCE.arrayInitializer(array, fieldType, frame)
                : frame.evaluate(v.getInitializer());
        if (isEnumConstant(type, v) && value instanceof ObjectValue constant) {
          constant.makeEnumConstant(v.getName().toString(), ordinal++);
        }
        fields.put(v.getName().toString(), frame.typeTrees().coerce(value, fieldType));
      } else if (member instanceof BlockTree b && b.isStatic()) {
        frame.execute(b);
      }
    }
  }

  private static boolean isEnumConstant(TypeElement type, VariableTree v) {
    if (type.getKind() != ElementKind.ENUM) {
      return false;
    }
    for (VariableElement f :
        javax.lang.model.util.ElementFilter.fieldsIn(type.getEnclosedElements())) {
      if (f.getSimpleName().contentEquals(v.getName())) {
        return f.getKind() == ElementKind.ENUM_CONSTANT;
      }
    }
    return false;
  }
}
