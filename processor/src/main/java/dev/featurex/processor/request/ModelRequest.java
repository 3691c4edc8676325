package dev.featurex.processor.request;

import dev.featurex.processor.diagnostics.Message;
import dev.featurex.processor.diagnostics.Reporter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * What one annotation asks for, read from its mirror (so messages can point at the exact value).
 *
 * @param mirror the annotation
 * @param traceable true for {@code @Traceable}, false for {@code @ExtractFeatures}
 * @param factories the factory methods to trace (empty string: the no-argument constructor)
 * @param leafModules canonical names of the declared leaf classes
 * @param value the return node entries of {@code value}
 * @param train the return node entries of {@code train}
 * @param eval the return node entries of {@code eval}
 * @param name the generated names' suffix
 * @param suppressDiffWarning whether the train/eval difference warning is off
 * @param forward the name of the method to trace
 * @param concreteArgs the {@code "parameter=value"} entries fixing non-tensor parameters
 * @param leafFunctions the {@code "pkg.Class.method"} entries of functions recorded as one node
 */
public record ModelRequest(
    AnnotationMirror mirror,
    boolean traceable,
    List<String> factories,
    Set<String> leafModules,
    List<Entry> value,
    List<Entry> train,
    List<Entry> eval,
    String name,
    boolean suppressDiffWarning,
    String forward,
    List<Entry> concreteArgs,
    List<Entry> leafFunctions) {

  static final String EXTRACT = "dev.featurex.annotations.ExtractFeatures";
  static final String EXTRACT_LIST = "dev.featurex.annotations.ExtractFeatures.List";
  static final String TRACEABLE = "dev.featurex.annotations.Traceable";

  /** The annotations the processor reads. */
  public static final Set<String> ANNOTATIONS = Set.of(EXTRACT, EXTRACT_LIST, TRACEABLE);

  /** A string of an array member, with the value to report on. */
  public record Entry(String text, AnnotationValue value) {}

  /** Every request on {@code model}, in the order written; problems go to {@code reporter}. */
  public static List<ModelRequest> readAll(
      TypeElement model, Elements elements, Reporter reporter) {
    List<ModelRequest> requests = new ArrayList<>();
    for (AnnotationMirror mirror : model.getAnnotationMirrors()) {
      String name = mirror.getAnnotationType().toString();
      if (name.equals(TRACEABLE) || name.equals(EXTRACT)) {
        requests.add(read(model, mirror, name.equals(TRACEABLE), elements, reporter));
      } else if (name.equals(EXTRACT_LIST)) {
        for (AnnotationValue container : mirror.getElementValues().values()) {
          int index = 0;
          for (AnnotationValue inner : list(container.getValue())) {
            AnnotationMirror m = (AnnotationMirror) inner.getValue();
            reporter.repeated(m, index++);
            requests.add(read(model, m, false, elements, reporter));
          }
        }
      }
    }
    return requests;
  }

  private static ModelRequest read(
      TypeElement model,
      AnnotationMirror mirror,
      boolean traceable,
      Elements elements,
      Reporter reporter) {
    List<String> factories = new ArrayList<>();
    Set<String> leaves = new LinkedHashSet<>();
    List<Entry> value = List.of();
    List<Entry> train = List.of();
    List<Entry> eval = List.of();
    String name = "";
    boolean suppress = false;
    String forward = "forward";
    List<Entry> concrete = List.of();
    List<Entry> functions = List.of();
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e :
        elements.getElementValuesWithDefaults(mirror).entrySet()) {
      String member = e.getKey().getSimpleName().toString();
      Object v = e.getValue().getValue();
      switch (member) {
        case "factories" -> entries(v).forEach(x -> factories.add(x.text()));
        case "factory" -> factories.add((String) v);
        case "leafModules" -> {
          for (AnnotationValue t : list(v)) {
            if (t.getValue() instanceof TypeMirror type && type.getKind() == TypeKind.DECLARED) {
              leaves.add(
                  ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName().toString());
            } else {
              reporter.report(
                  Message.LEAF_MODULE_UNRESOLVED, model, mirror, t, t, model.getSimpleName());
            }
          }
        }
        case "value" -> value = entries(v);
        case "train" -> train = entries(v);
        case "eval" -> eval = entries(v);
        case "name" -> name = (String) v;
        case "suppressDiffWarning" -> suppress = (Boolean) v;
        case "forward" -> forward = (String) v;
        case "concreteArgs" -> concrete = entries(v);
        case "leafFunctions" -> functions = entries(v);
        default -> {}
      }
    }
    if (factories.isEmpty()) {
      factories.add("");
    }
    return new ModelRequest(
        mirror,
        traceable,
        List.copyOf(factories),
        Set.copyOf(leaves),
        value,
        train,
        eval,
        name,
        suppress,
        forward,
        concrete,
        functions);
  }

  @SuppressWarnings("unchecked")
  private static List<AnnotationValue> list(Object v) {
    return v instanceof List<?> ? (List<AnnotationValue>) v : List.of();
  }

  private static List<Entry> entries(Object v) {
    List<Entry> out = new ArrayList<>();
    for (AnnotationValue a : list(v)) {
      if (a.getValue() instanceof String text) {
        out.add(new Entry(text, a));
      }
    }
    return List.copyOf(out);
  }

  /** The annotation's simple name, for messages. */
  public String annotationName() {
    return traceable ? "Traceable" : "ExtractFeatures";
  }

  /** The member value named {@code member} as written (for messages), or null. */
  public AnnotationValue member(String member) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e :
        mirror.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(member)) {
        return e.getValue();
      }
    }
    return null;
  }
}
