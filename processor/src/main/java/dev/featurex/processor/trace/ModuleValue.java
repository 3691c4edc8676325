package dev.featurex.processor.trace;

import com.sun.source.tree.Tree;
import dev.featurex.graph.ModuleTypes;
import dev.featurex.processor.model.Arg;
import dev.featurex.processor.model.ModuleKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/**
 * A module: a Java module (with its fields) or a built-in one, with the children, parameters and
 * buffers registered on it in the structure phase. Its identity is the module's: a block held in a
 * Java array and in a registered list is one module with one qualified name.
 */
public final class ModuleValue implements Instance {

  private final TypeElement type;
  private final ModuleKind kind;
  private final Map<String, Value> fields = new LinkedHashMap<>();
  private final Map<String, ModuleValue> children = new LinkedHashMap<>();
  private final List<ModuleValue> sequence = new ArrayList<>();
  private final Map<String, TensorRef> tensors = new LinkedHashMap<>();

  ModuleValue(TypeElement type, ModuleKind kind) {
    this.type = type;
    this.kind = kind;
  }

  @Override
  public TypeElement type() {
    return type;
  }

  /** How the tracer treats the module. */
  public ModuleKind kind() {
    return kind;
  }

  @Override
  public Map<String, Value> fields() {
    return fields;
  }

  /** The children in registration order (read-only). */
  public Map<String, ModuleValue> children() {
    return Collections.unmodifiableMap(children);
  }

  /** For a {@code SequentialImpl}: the children its {@code forward} calls, in order (read-only). */
  public List<ModuleValue> sequence() {
    return Collections.unmodifiableList(sequence);
  }

  /**
   * Registers {@code child} under {@code name}, as libtorch's {@code register_module} does.
   *
   * @throws IllegalArgumentException when the name is empty, contains a dot, or is taken
   */
  public void register(String name, ModuleValue child) {
    checkName(name, "submodule");
    if (children.containsKey(name)) {
      throw new IllegalArgumentException(
          "a submodule named \"" + name + "\" is already registered");
    }
    children.put(name, child);
  }

  /**
   * Appends {@code child} to a {@code SequentialImpl} or {@code ModuleListImpl}, under {@code
   * name}, or under its index when {@code name} is null.
   *
   * @throws IllegalArgumentException when the name is invalid or taken
   */
  public void pushBack(String name, ModuleValue child) {
    register(name != null ? name : String.valueOf(children.size()), child);
    sequence.add(child);
  }

  /**
   * Registers a parameter (or buffer) named {@code name}, as {@code register_parameter} does.
   *
   * @throws IllegalArgumentException when the name is empty, contains a dot, or is taken
   */
  public TensorRef registerTensor(String name, boolean buffer) {
    checkName(name, buffer ? "buffer" : "parameter");
    if (tensors.containsKey(name)) {
      throw new IllegalArgumentException(
          "a parameter or buffer named \"" + name + "\" is already registered");
    }
    TensorRef ref = new TensorRef(this, name, buffer);
    tensors.put(name, ref);
    return ref;
  }

  /** The parameter or buffer registered as {@code name}, or null. */
  public TensorRef tensor(String name) {
    return tensors.get(name);
  }

  private static void checkName(String name, String what) {
    if (name.isEmpty() || name.contains(".")) {
      throw new IllegalArgumentException(
          what + " name \"" + name + "\" must be non-empty and contain no '.'");
    }
  }

  @Override
  public String describe() {
    return "the module " + type.getSimpleName();
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
    Phase phase = frame.phase();
    switch (method) {
      case "forward":
        return phase.callModule(this, args, site, frame);
      case "register_module":
        return phase.registerModule(this, args, site, frame);
      case "register_parameter":
        return phase.registerTensor(this, false, args, site, frame);
      case "register_buffer":
        return phase.registerTensor(this, true, args, site, frame);
      case "is_training":
        if (args.isEmpty()) {
          return new Value.Known(phase.isTraining());
        }
        break;
      case "push_back":
        if (kind == ModuleKind.SEQUENTIAL || kind == ModuleKind.MODULE_LIST) {
          return phase.pushBack(this, args, site, frame);
        }
        break;
      default:
        break;
    }
    if (!kind.isNative()) {
      ExecutableElement source = frame.invocations().sourceMethod(type, method, args, frame);
      if (source != null) {
        return frame.invocations().inline(this, source, args, frame.scope(), site, frame);
      }
    }
    Value container = containerMethod(method, args, site, frame);
    if (container != null) {
      return container;
    }
    if (method.startsWith("as") && args.isEmpty() && method.length() > 2) {
      boolean same = kind.isNative() && method.equals(ModuleTypes.viewMethod(simpleName()));
      return same || (!kind.isNative() && method.equals("asModule")) ? this : Value.Known.NULL;
    }
    ExecutableElement resolved =
        frame.symbols().choose(frame.symbols().methods(type, method), args);
    return phase.moduleMethod(this, method, resolved, args, site, frame);
  }

  private Value containerMethod(String method, List<Value> args, Tree site, Frame frame) {
    if (kind != ModuleKind.SEQUENTIAL
        && kind != ModuleKind.MODULE_LIST
        && kind != ModuleKind.MODULE_DICT) {
      return null;
    }
    switch (method) {
      case "size":
        return args.isEmpty() ? new Value.Known((long) children.size()) : null;
      case "is_empty":
        return args.isEmpty() ? new Value.Known(children.isEmpty()) : null;
      case "get", "ptr", "at":
        if (args.size() == 1) {
          int index = frame.toInt(args.get(0), site);
          List<ModuleValue> list = new ArrayList<>(children.values());
          if (index < 0 || index >= list.size()) {
            throw frame.error(
                site,
                dev.featurex.processor.diagnostics.Message.THROWS,
                "\"" + site + "\"",
                "index " + index + " out of range for " + list.size() + " modules");
          }
          return list.get(index);
        }
        return null;
      default:
        return null;
    }
  }

  /** The class's simple name. */
  String simpleName() {
    return type.getSimpleName().toString();
  }

  @Override
  public Arg toArg(Tree site, Frame frame) {
    throw frame.unsupported(site, "passing " + describe() + " to a traced call");
  }
}
