package dev.featurex.processor.structure;

import dev.featurex.graph.ModuleTypes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.lang.model.element.TypeElement;

/**
 * A module built while the tracer evaluates a constructor: its Java type, its kind, and the
 * children registered on it, in registration order. Mutable during the structure phase only; the
 * identity of an instance is the identity of the module.
 */
public final class ModuleInstance {

  /** How the tracer treats a module. */
  public enum Kind {
    /** A Java module whose {@code forward} the tracer reads. */
    JAVA,
    /** A Java module that is a leaf ({@code @LeafModule}, {@code leafModules}, or no source). */
    JAVA_LEAF,
    /** A built-in {@code org.bytedeco.pytorch.*Impl} module: a leaf. */
    BUILTIN,
    /** {@code SequentialImpl}: its {@code forward} runs its children in order. */
    SEQUENTIAL,
    /** {@code ModuleListImpl}: holds children, has no {@code forward}. */
    MODULE_LIST,
    /** {@code ModuleDictImpl}: holds children, has no {@code forward}. */
    MODULE_DICT;

    /** Whether a call of this module is one {@code call_module} node. */
    public boolean isLeaf() {
      return this == JAVA_LEAF || this == BUILTIN;
    }

    /** Whether the module is one of the presets' classes (its type name is the C++ one). */
    public boolean isNative() {
      return this != JAVA && this != JAVA_LEAF;
    }
  }

  private final TypeElement type;
  private final Kind kind;
  private final Map<String, ModuleInstance> children = new LinkedHashMap<>();

  /** A module of class {@code type}, treated as {@code kind}, with no children yet. */
  public ModuleInstance(TypeElement type, Kind kind) {
    this.type = type;
    this.kind = kind;
  }

  /** The module's Java class. */
  public TypeElement type() {
    return type;
  }

  /** How the tracer treats the module. */
  public Kind kind() {
    return kind;
  }

  /** The children, in registration order (read-only view). */
  public Map<String, ModuleInstance> children() {
    return Collections.unmodifiableMap(children);
  }

  /**
   * Registers {@code child} under {@code name}, as {@code register_module} does.
   *
   * @throws IllegalArgumentException when the name is taken or not a valid submodule name
   */
  public void register(String name, ModuleInstance child) {
    if (name.isEmpty() || name.contains(".")) {
      throw new IllegalArgumentException(
          "submodule name \"" + name + "\" must be non-empty and contain no '.'");
    }
    if (children.containsKey(name)) {
      throw new IllegalArgumentException(
          "a submodule named \"" + name + "\" is already registered");
    }
    children.put(name, child);
  }

  /**
   * Appends {@code child} under the next index, as {@code push_back} does on lists and sequentials.
   */
  public void pushBack(ModuleInstance child) {
    children.put(String.valueOf(children.size()), child);
  }

  /**
   * The type as the runtime sees it in {@code named_modules()}: the C++ name, or {@code Module}.
   */
  public String runtimeTypeName() {
    return kind.isNative()
        ? ModuleTypes.nativeName(type.getSimpleName().toString())
        : ModuleTypes.JAVA_MODULE;
  }
}
