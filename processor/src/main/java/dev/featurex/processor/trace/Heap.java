package dev.featurex.processor.trace;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * What one configuration's trace shares between its phases: static fields of the classes with
 * source, the leaf rule, and which native tensor objects were registered as parameters or buffers
 * (so that {@code forward} reads them from the model instead of re-creating them).
 */
public final class Heap {

  private static final String LEAF_FUNCTION = "dev.featurex.annotations.LeafFunction";

  private final LeafModules leaves;
  private final Set<String> leafFunctions;
  private final Statics statics = new Statics();
  private final Map<Opaque, TensorRef> registeredTensors = new IdentityHashMap<>();
  private final Set<String> sourcesRead = new TreeSet<>();

  /**
   * An empty heap with the leaf rules of the request being traced: {@code leafFunctions} are {@code
   * "pkg.Class.method"} names of static methods recorded as one node.
   */
  public Heap(LeafModules leaves, Set<String> leafFunctions) {
    this.leaves = leaves;
    this.leafFunctions = Set.copyOf(leafFunctions);
  }

  /**
   * Whether a call of {@code method} with a traced argument is one node: it is annotated
   * {@code @LeafFunction}, listed in {@code leafFunctions}, or a method of {@code java.lang.Math}
   * (torchvision wraps Python's {@code math} so).
   */
  boolean isLeafFunction(ExecutableElement method) {
    TypeElement owner = (TypeElement) method.getEnclosingElement();
    String ownerName = owner.getQualifiedName().toString();
    return ownerName.equals("java.lang.Math")
        || ownerName.equals("java.lang.StrictMath")
        || leafFunctions.contains(ownerName + "." + method.getSimpleName())
        || method.getAnnotationMirrors().stream()
            .anyMatch(a -> a.getAnnotationType().toString().equals(LEAF_FUNCTION));
  }

  /** The leaf rule. */
  public LeafModules leaves() {
    return leaves;
  }

  Statics statics() {
    return statics;
  }

  /** Notes that code of {@code type} ran (its top-level class's source was read). */
  void sawSource(TypeElement type) {
    Element top = type;
    while (top.getEnclosingElement() instanceof TypeElement outer) {
      top = outer;
    }
    sourcesRead.add(((TypeElement) top).getQualifiedName().toString());
  }

  /** The top-level classes whose source the trace read, sorted. */
  public Set<String> sourcesRead() {
    return Set.copyOf(sourcesRead);
  }

  /** Notes that the native tensor {@code value} is now {@code ref} (a registered tensor). */
  public void registered(Opaque value, TensorRef ref) {
    registeredTensors.put(value, ref);
  }

  /** The registration of a native tensor object, or null. */
  TensorRef registration(Opaque value) {
    return registeredTensors.get(value);
  }
}
