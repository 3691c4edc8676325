package dev.featurex.graph;

import java.util.Map;
import java.util.Optional;

/**
 * How both sides name and classify modules: the processor sees the presets' Java classes ({@code
 * org.bytedeco.pytorch.Conv2dImpl}), the runtime sees libtorch's {@code Module::name()} ({@code
 * torch::nn::Conv2dImpl}). Every rule that links the two is here, once.
 *
 * <ul>
 *   <li>A built-in module's type, as a module-tree signature records it, is its C++ name: {@code
 *       torch::nn::} and the Java class's simple name, except for the few modules whose C++
 *       constructor sets another name ({@link #nativeName}).
 *   <li>A module written in Java (or a plain {@code torch::nn::Module}) is recorded as {@value
 *       #JAVA_MODULE}: a JavaCPP subclass reports a mangled name that says nothing of its class.
 *   <li>The built-in containers {@code SequentialImpl}, {@code ModuleListImpl} and {@code
 *       ModuleDictImpl} are traced through; every other built-in module is a leaf (torchvision's
 *       {@code LeafModuleAwareTracer} rule for {@code torch.nn}).
 *   <li>{@code Module} has a typed view per built-in class, named {@code as} and the class's name
 *       without {@code Impl} ({@code asConv2d()}); {@link #viewMethod} gives it.
 * </ul>
 */
public final class ModuleTypes {

  /** The package of the presets' classes. */
  public static final String PRESETS_PACKAGE = "org.bytedeco.pytorch";

  /** The prefix of the C++ names of libtorch's built-in modules. */
  public static final String NATIVE_PREFIX = "torch::nn::";

  /** The type recorded for a module written in Java, or a plain {@code torch::nn::Module}. */
  public static final String JAVA_MODULE = "Module";

  /**
   * The type recorded for a Java module whose source the processor did not see (a class from a
   * library jar): its own children are unknown at compile time, so a live tree may have any there.
   */
  public static final String OPAQUE_JAVA_MODULE = "Module*";

  /**
   * Built-in modules whose C++ constructor names them explicitly, so {@code name()} is not the
   * class name: Java simple name to {@code name()}. Checked against the live presets by the
   * runtime's tests.
   */
  private static final Map<String, String> EXPLICIT_NAMES =
      Map.of("MultiheadAttentionImpl", NATIVE_PREFIX + "MultiheadAttention");

  /** The built-in containers: their {@code forward} (if any) is traced through, never a leaf. */
  public enum Container {
    /** {@code SequentialImpl}: {@code forward} calls its children in order. */
    SEQUENTIAL("SequentialImpl"),
    /** {@code ModuleListImpl}: holds children, has no {@code forward}. */
    MODULE_LIST("ModuleListImpl"),
    /** {@code ModuleDictImpl}: holds children, has no {@code forward}. */
    MODULE_DICT("ModuleDictImpl");

    private final String javaName;

    Container(String javaName) {
      this.javaName = javaName;
    }

    /** The presets' class's simple name ({@code SequentialImpl}). */
    public String javaName() {
      return javaName;
    }

    /** The C++ name that {@code name()} reports ({@code torch::nn::SequentialImpl}). */
    public String nativeName() {
      return NATIVE_PREFIX + javaName;
    }
  }

  private ModuleTypes() {}

  /**
   * The C++ name {@code name()} reports for a built-in module of the presets' class {@code
   * javaSimpleName} ({@code Conv2dImpl} gives {@code torch::nn::Conv2dImpl}).
   */
  public static String nativeName(String javaSimpleName) {
    return EXPLICIT_NAMES.getOrDefault(javaSimpleName, NATIVE_PREFIX + javaSimpleName);
  }

  /** The container a presets' class is, by simple name, if it is one. */
  public static Optional<Container> container(String javaSimpleName) {
    for (Container c : Container.values()) {
      if (c.javaName.equals(javaSimpleName)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The container a C++ name denotes ({@code torch::nn::SequentialImpl}), if it is one. */
  public static Optional<Container> containerOfNative(String nativeName) {
    for (Container c : Container.values()) {
      if (c.nativeName().equals(nativeName)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a module of this C++ name ({@code name()}) is a built-in leaf: a libtorch module that
   * is not a container.
   */
  public static boolean isBuiltInLeaf(String nativeName) {
    return nativeName.startsWith(NATIVE_PREFIX)
        && !nativeName.equals(NATIVE_PREFIX + "Module")
        && containerOfNative(nativeName).isEmpty();
  }

  /**
   * The type a module-tree signature records for a module of this {@code name()}: the C++ name of a
   * built-in module, {@value #JAVA_MODULE} otherwise.
   */
  public static String signatureType(String nativeName) {
    return nativeName.startsWith(NATIVE_PREFIX) && !nativeName.equals(NATIVE_PREFIX + "Module")
        ? nativeName
        : JAVA_MODULE;
  }

  /**
   * The {@code Module} method that gives the typed view of a built-in module of the presets' class
   * {@code javaSimpleName}: {@code asConv2d} for {@code Conv2dImpl}.
   */
  public static String viewMethod(String javaSimpleName) {
    String base =
        javaSimpleName.endsWith("Impl")
            ? javaSimpleName.substring(0, javaSimpleName.length() - 4)
            : javaSimpleName;
    return "as" + base;
  }
}
