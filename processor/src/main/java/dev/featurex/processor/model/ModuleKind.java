package dev.featurex.processor.model;

/** How the tracer treats a module, decided when the module is created. */
public enum ModuleKind {
  /** A Java module whose {@code forward} the tracer reads and inlines. */
  JAVA,
  /** A Java module that is a leaf ({@code @LeafModule}, {@code leafModules}, or no source). */
  JAVA_LEAF,
  /** A built-in {@code org.bytedeco.pytorch.*Impl} module other than a container: a leaf. */
  BUILTIN,
  /** {@code SequentialImpl}: its {@code forward} runs the children it was given in order. */
  SEQUENTIAL,
  /** {@code ModuleListImpl}: holds children, has no {@code forward}. */
  MODULE_LIST,
  /** {@code ModuleDictImpl}: holds children, has no {@code forward}. */
  MODULE_DICT;

  /** Whether a call of this module is one {@code call_module} node. */
  public boolean isLeaf() {
    return this == JAVA_LEAF || this == BUILTIN;
  }

  /** Whether the module is one of the presets' classes (its runtime type is the C++ one). */
  public boolean isNative() {
    return this != JAVA && this != JAVA_LEAF;
  }
}
