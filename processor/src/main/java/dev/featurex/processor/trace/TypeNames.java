package dev.featurex.processor.trace;

import javax.lang.model.element.Element;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * Type names as the trace records them for generated code: {@code long}, {@code long[]}, or {@code
 * package/Outer.Inner} (the slash keeps package and class apart, since presets' classes such as
 * {@code torch} are lower case).
 */
public final class TypeNames {

  private TypeNames() {}

  /** {@code package/Outer.Inner} for a class. */
  public static String of(TypeElement type) {
    Element e = type;
    StringBuilder simple = new StringBuilder(type.getSimpleName());
    while (e.getEnclosingElement() instanceof TypeElement outer) {
      simple.insert(0, outer.getSimpleName() + ".");
      e = outer;
    }
    Element pkg = e.getEnclosingElement();
    String p = pkg instanceof PackageElement pe ? pe.getQualifiedName().toString() : "";
    return p + "/" + simple;
  }

  /** The erased type's name: a primitive, an array ({@code long[]}) or a class. */
  public static String of(TypeMirror type, Types types) {
    TypeMirror t = types.erasure(type);
    if (t instanceof ArrayType a) {
      return of(a.getComponentType(), types) + "[]";
    }
    if (t instanceof DeclaredType d) {
      return of((TypeElement) d.asElement());
    }
    return t.toString();
  }
}
