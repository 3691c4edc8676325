package dev.featurex.processor.model;

import javax.lang.model.element.Element;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;

/**
 * How the model writes Java types, so that generated code can name them without javac's help:
 * {@code long}, {@code long[]}, or {@code package/Outer.Inner} for a class (the slash keeps package
 * and classes apart, since the presets have lower-case classes such as {@code torch}).
 */
public final class TypeNames {

  /** The presets' tensor, the only type a feature may have. */
  public static final String TENSOR = "org.bytedeco.pytorch/Tensor";

  private TypeNames() {}

  /** {@code package/Outer.Inner} from a package and the simple names from the outermost class. */
  public static String of(String packageName, String nestedNames) {
    return packageName + "/" + nestedNames;
  }

  /** How the model writes a class: {@code package/Outer.Inner}. */
  public static String of(TypeElement type) {
    Element e = type;
    StringBuilder simple = new StringBuilder(type.getSimpleName());
    while (e.getEnclosingElement() instanceof TypeElement outer) {
      simple.insert(0, outer.getSimpleName() + ".");
      e = outer;
    }
    String pkg =
        e.getEnclosingElement() instanceof PackageElement p ? p.getQualifiedName().toString() : "";
    return of(pkg, simple.toString());
  }

  /** The simple name of a written type: {@code Tensor} for {@code org.bytedeco.pytorch/Tensor}. */
  public static String simpleName(String written) {
    String name = written.substring(written.indexOf('/') + 1);
    return name.substring(name.lastIndexOf('.') + 1);
  }
}
