package dev.featurex.processor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * What one annotation asks for, read from its mirror (so messages can point at the exact value).
 *
 * @param mirror the annotation
 * @param traceable true for {@code @Traceable}, false for {@code @ExtractFeatures}
 * @param factories the factory methods to trace (empty string: the no-argument constructor)
 * @param leafModules canonical names of the declared leaf classes
 * @param value, train, eval the return node entries with the values they came from
 * @param name the generated names' suffix
 * @param suppressDiffWarning whether the train/eval difference warning is off
 */
record ModelRequest(
    AnnotationMirror mirror,
    boolean traceable,
    List<String> factories,
    Set<String> leafModules,
    List<Entry> value,
    List<Entry> train,
    List<Entry> eval,
    String name,
    boolean suppressDiffWarning) {

  /** A string in an array member, with the value to report on. */
  record Entry(String text, AnnotationValue value) {}

  static ModelRequest read(AnnotationMirror mirror, boolean traceable, Elements elements) {
    Map<? extends ExecutableElement, ? extends AnnotationValue> values =
        elements.getElementValuesWithDefaults(mirror);
    List<String> factories = new ArrayList<>();
    Set<String> leaves = new LinkedHashSet<>();
    List<Entry> value = List.of();
    List<Entry> train = List.of();
    List<Entry> eval = List.of();
    String name = "";
    boolean suppress = false;
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : values.entrySet()) {
      String member = e.getKey().getSimpleName().toString();
      Object v = e.getValue().getValue();
      switch (member) {
        case "factories" -> entries(v).forEach(x -> factories.add(x.text()));
        case "factory" -> factories.add((String) v);
        case "leafModules" -> {
          for (AnnotationValue t : list(v)) {
            leaves.add(((TypeMirror) t.getValue()).toString());
          }
        }
        case "value" -> value = entries(v);
        case "train" -> train = entries(v);
        case "eval" -> eval = entries(v);
        case "name" -> name = (String) v;
        case "suppressDiffWarning" -> suppress = (Boolean) v;
        default -> {}
      }
    }
    if (factories.isEmpty()) {
      factories.add("");
    }
    return new ModelRequest(
        mirror, traceable, List.copyOf(factories), leaves, value, train, eval, name, suppress);
  }

  @SuppressWarnings("unchecked")
  private static List<AnnotationValue> list(Object v) {
    return (List<AnnotationValue>) v;
  }

  private static List<Entry> entries(Object v) {
    List<Entry> out = new ArrayList<>();
    for (AnnotationValue a : list(v)) {
      out.add(new Entry((String) a.getValue(), a));
    }
    return List.copyOf(out);
  }

  /** The parts the return-node validator reads. */
  dev.featurex.processor.validate.ReturnNodeValidator.Request forValidation() {
    return new dev.featurex.processor.validate.ReturnNodeValidator.Request(
        mirror, convert(value), convert(train), convert(eval), name, suppressDiffWarning);
  }

  private static List<dev.featurex.processor.validate.ReturnNodeValidator.Entry> convert(
      List<Entry> entries) {
    return entries.stream()
        .map(
            e -> new dev.featurex.processor.validate.ReturnNodeValidator.Entry(e.text(), e.value()))
        .toList();
  }

  /** The member value named {@code member} as written (for messages), or null. */
  AnnotationValue member(String member) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e :
        mirror.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(member)) {
        return e.getValue();
      }
    }
    return null;
  }
}
