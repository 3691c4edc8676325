package dev.featurex.processor.trace;

import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;

/**
 * Whether generated code, which lives in the model's package, can name a class or call a method.
 */
public final class Access {

  private Access() {}

  /**
   * Whether code in {@code pkg} can use {@code element} (a class or a method): public all the way
   * out, or, in the same package, nothing private on the way.
   */
  public static boolean fromPackage(Element element, PackageElement pkg) {
    boolean samePackage = packageOf(element).equals(pkg);
    for (Element e = element;
        e instanceof TypeElement || e == element;
        e = e.getEnclosingElement()) {
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        return false;
      }
      if (!samePackage && !e.getModifiers().contains(Modifier.PUBLIC)) {
        return false;
      }
    }
    return true;
  }

  /** The package of {@code element}. */
  public static PackageElement packageOf(Element element) {
    Element e = element;
    while (!(e instanceof PackageElement)) {
      e = e.getEnclosingElement();
    }
    return (PackageElement) e;
  }
}
