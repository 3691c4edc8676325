package dev.featurex.runtime.internal;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.util.List;

/**
 * How generated programs reach Java leaf modules: by the chain of fields and indices the tracer saw
 * ({@code .layers}, {@code [0]}). Runs once when a program is bound, never per call.
 */
public final class ModuleAccess {

  private ModuleAccess() {}

  /**
   * Follows {@code steps} from {@code root}: {@code .name} reads a field (private ones too,
   * declared in the class or a superclass), {@code [i]} an array element or a {@code List} element.
   *
   * @throws IllegalArgumentException naming the step that does not resolve on this instance
   */
  public static Object follow(Object root, String... steps) {
    Object found = read(root, steps);
    if (found == null) {
      throw new IllegalArgumentException(
          root.getClass().getSimpleName()
              + String.join("", steps)
              + " is null on this "
              + root.getClass().getSimpleName());
    }
    return found;
  }

  /**
   * The value {@code steps} lead to from {@code root}, which may be null (only the last one may).
   *
   * @throws IllegalArgumentException naming the step that does not resolve on this instance
   */
  public static Object read(Object root, String... steps) {
    Object current = root;
    StringBuilder walked = new StringBuilder(root.getClass().getSimpleName());
    for (String step : steps) {
      if (current == null) {
        throw new IllegalArgumentException(
            walked + " is null on this " + root.getClass().getSimpleName());
      }
      walked.append(step);
      try {
        current =
            step.startsWith("[")
                ? element(current, Integer.parseInt(step.substring(1, step.length() - 1)))
                : field(current, step.substring(1));
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new IllegalArgumentException(
            "cannot reach " + walked + " on this " + root.getClass().getSimpleName() + ": " + e, e);
      }
    }
    return current;
  }

  private static Object element(Object container, int index) {
    return container instanceof List<?> list ? list.get(index) : Array.get(container, index);
  }

  private static Object field(Object owner, String name) throws ReflectiveOperationException {
    for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(owner);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(name);
  }

  /** Convenience for generated code: {@link #follow} with a list of steps. */
  public static Object follow(Object root, List<String> steps) {
    return follow(root, steps.toArray(String[]::new));
  }
}
