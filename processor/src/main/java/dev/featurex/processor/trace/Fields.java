package dev.featurex.processor.trace;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import dev.featurex.processor.Message;
import java.util.HashMap;
import java.util.Map;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/**
 * Fields: instance fields live in their object, static fields of classes with source are
 * initialised lazily by running their initialisers (once per trace), compile-time constants come
 * from javac, and static fields of library classes are opaque values re-emitted by name.
 */
final class Fields {

  private final Invoker inv;
  private final Interpreter interpreter;
  private final Symbols symbols;
  private final Map<TypeElement, Map<String, Value>> statics = new HashMap<>();

  Fields(Invoker inv) {
    this.inv = inv;
    this.interpreter = inv.interpreter;
    this.symbols = inv.symbols;
  }

  boolean hasField(Value.ObjectValue self, TypeElement clazz, String name) {
    return clazz != null && symbols.field(clazz, name) != null;
  }

  /**
   * The value of field {@code name} seen from {@code clazz}, or null when there is no such field.
   */
  Value field(Value.ObjectValue self, TypeElement clazz, String name, Tree tree, Frame frame) {
    for (javax.lang.model.element.Element e = clazz; e != null; e = e.getEnclosingElement()) {
      if (e instanceof TypeElement type) {
        VariableElement f = symbols.field(type, name);
        if (f != null) {
          if (Symbols.isStatic(f)) {
            return staticField(Symbols.owner(f), name, tree, frame);
          }
          if (self != null && type == clazz) {
            Value v = self.fields.get(name);
            return v != null ? v : interpreter.types.defaultValue(f.asType());
          }
        }
      }
    }
    for (TypeElement owner : symbols.staticImportOwners(name, frame.unit)) {
      Value v = staticField(owner, name, tree, frame);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  Value staticField(TypeElement owner, String name, Tree tree, Frame frame) {
    VariableElement f = symbols.field(owner, name);
    if (f == null || !Symbols.isStatic(f)) {
      return null;
    }
    TypeElement declaring = Symbols.owner(f);
    if (f.getConstantValue() != null) {
      return interpreter.types.coerce(new Value.Known(f.getConstantValue()), f.asType());
    }
    if (inv.trees.getTree(declaring) == null) {
      return new Value.Opaque(f.asType(), new Arg.StaticField(TypeNames.of(declaring), name));
    }
    Map<String, Value> state = staticState(declaring, tree, frame);
    Value v = state.get(name);
    return v != null ? v : interpreter.types.defaultValue(f.asType());
  }

  private Map<String, Value> staticState(TypeElement type, Tree tree, Frame caller) {
    Map<String, Value> state = statics.get(type);
    if (state != null) {
      return state;
    }
    state = new HashMap<>();
    statics.put(type, state);
    Frame frame = new Frame(null, type, inv.unitOf(type), caller.scope);
    for (Tree member : inv.trees.getTree(type).getMembers()) {
      if (member instanceof VariableTree v
          && v.getModifiers().getFlags().contains(Modifier.STATIC)
          && v.getInitializer() != null) {
        TypeMirror fieldType = interpreter.types.typeOf(v.getType(), frame);
        Value value =
            v.getInitializer() instanceof NewArrayTree array && array.getType() == null
                ? interpreter.arrayInitializer(array, fieldType, frame)
                : interpreter.evaluate(v.getInitializer(), frame);
        state.put(v.getName().toString(), interpreter.types.coerce(value, fieldType));
      } else if (member instanceof BlockTree b && b.isStatic()) {
        interpreter.execute(b, frame);
      }
    }
    return state;
  }

  void setField(
      Value.ObjectValue self, TypeElement clazz, String name, Value value, Tree tree, Frame frame) {
    VariableElement f = symbols.field(clazz, name);
    if (f == null) {
      throw interpreter.error(
          tree,
          frame,
          Message.UNSUPPORTED,
          "assigning \"" + name + "\", which is not a field the tracer can see");
    }
    if (Symbols.isStatic(f)) {
      setStaticField(Symbols.owner(f), name, value, tree, frame);
      return;
    }
    if (self == null) {
      throw interpreter.error(
          tree, frame, Message.UNSUPPORTED, "assigning an instance field without an instance");
    }
    self.fields.put(name, interpreter.types.coerce(value, f.asType()));
  }

  void setStaticField(TypeElement owner, String name, Value value, Tree tree, Frame frame) {
    VariableElement f = symbols.field(owner, name);
    TypeElement declaring = f == null ? owner : Symbols.owner(f);
    if (inv.trees.getTree(declaring) == null) {
      throw interpreter.error(
          tree, frame, Message.UNSUPPORTED, "assigning a static field of a library class");
    }
    staticState(declaring, tree, frame)
        .put(name, interpreter.types.coerce(value, f == null ? null : f.asType()));
  }
}
