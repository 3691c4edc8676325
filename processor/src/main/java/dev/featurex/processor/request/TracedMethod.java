package dev.featurex.processor.request;

import dev.featurex.processor.diagnostics.Message;
import dev.featurex.processor.diagnostics.Reporter;
import dev.featurex.processor.model.EnumConstant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The method a request traces (torch.fx's traced method, {@code forward} by default) and the values
 * its non-tensor parameters are fixed to ({@code concrete_args}).
 *
 * @param method the method
 * @param concreteArgs parameter name to value, in parameter order: a boxed primitive, a String, or
 *     an {@link EnumConstant}
 * @param text the {@code concreteArgs} entries as written, in parameter order
 */
public record TracedMethod(
    ExecutableElement method, Map<String, Object> concreteArgs, Map<String, String> text) {

  private static final String TENSOR = "org.bytedeco.pytorch.Tensor";

  /** Copies the maps. */
  public TracedMethod {
    concreteArgs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(concreteArgs));
    text = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(text));
  }

  /**
   * The method {@code request} names on {@code model}: the first (from the class up) whose
   * parameters are tensors or fixed by the request's {@code concreteArgs}; null after an error on
   * the annotation value at fault.
   */
  public static TracedMethod resolve(
      TypeElement model, ModelRequest request, Elements elements, Types types, Reporter reporter) {
    Map<String, ModelRequest.Entry> entries = new LinkedHashMap<>();
    Map<String, String> given = new LinkedHashMap<>();
    for (ModelRequest.Entry e : request.concreteArgs()) {
      int eq = e.text().indexOf('=');
      if (eq <= 0) {
        reporter.report(
            Message.MALFORMED_CONCRETE_ARG, model, request.mirror(), e.value(), e.text());
        return null;
      }
      entries.put(e.text().substring(0, eq).strip(), e);
      given.put(e.text().substring(0, eq).strip(), e.text().substring(eq + 1).strip());
    }
    List<ExecutableElement> named = candidates(model, request.forward());
    if (named.isEmpty()) {
      reporter.report(
          Message.NO_TRACED_METHOD,
          model,
          request.mirror(),
          request.member("forward"),
          model.getSimpleName(),
          request.forward());
      return null;
    }
    TypeElement tensor = elements.getTypeElement(TENSOR);
    for (ExecutableElement m : named) {
      if (fits(m, given, tensor, types)) {
        return convert(model, request, m, given, entries, types, reporter);
      }
    }
    reporter.report(
        Message.NO_FITTING_METHOD,
        model,
        request.mirror(),
        request.concreteArgs().isEmpty()
            ? request.member("forward")
            : request.concreteArgs().get(0).value(),
        request.forward(),
        model.getSimpleName(),
        given.keySet(),
        named.stream().map(TracedMethod::signature).collect(Collectors.joining(", ")));
    return null;
  }

  /** The instance methods named {@code name} of the class and its superclasses, nearest first. */
  private static List<ExecutableElement> candidates(TypeElement model, String name) {
    List<ExecutableElement> found = new ArrayList<>();
    for (TypeElement t = model; t != null; t = superclass(t)) {
      for (ExecutableElement m : ElementFilter.methodsIn(t.getEnclosedElements())) {
        if (m.getSimpleName().contentEquals(name)
            && !m.getModifiers().contains(Modifier.STATIC)
            && !m.getModifiers().contains(Modifier.ABSTRACT)) {
          found.add(m);
        }
      }
    }
    return found;
  }

  private static boolean fits(
      ExecutableElement m, Map<String, String> given, TypeElement tensor, Types types) {
    int fixed = 0;
    for (VariableElement p : m.getParameters()) {
      String name = p.getSimpleName().toString();
      if (given.containsKey(name)) {
        fixed++;
      } else if (tensor == null || !types.isSameType(types.erasure(p.asType()), tensor.asType())) {
        return false;
      }
    }
    return fixed == given.size();
  }

  private static TracedMethod convert(
      TypeElement model,
      ModelRequest request,
      ExecutableElement m,
      Map<String, String> given,
      Map<String, ModelRequest.Entry> entries,
      Types types,
      Reporter reporter) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, String> text = new LinkedHashMap<>();
    for (VariableElement p : m.getParameters()) {
      String name = p.getSimpleName().toString();
      if (!given.containsKey(name)) {
        continue;
      }
      Object value = value(p.asType(), given.get(name), types);
      if (value == null) {
        reporter.report(
            Message.BAD_CONCRETE_VALUE,
            model,
            request.mirror(),
            entries.get(name).value(),
            given.get(name),
            name,
            p.asType());
        return null;
      }
      values.put(name, value);
      text.put(name, given.get(name));
    }
    return new TracedMethod(m, values, text);
  }

  /** {@code text} as a value of {@code type}, or null when it is not one. */
  private static Object value(TypeMirror type, String text, Types types) {
    TypeMirror t = type;
    if (t.getKind() == TypeKind.DECLARED) {
      TypeElement element = (TypeElement) ((DeclaredType) t).asElement();
      if (element.getKind() == ElementKind.ENUM) {
        for (VariableElement c : ElementFilter.fieldsIn(element.getEnclosedElements())) {
          if (c.getKind() == ElementKind.ENUM_CONSTANT && c.getSimpleName().contentEquals(text)) {
            return new EnumConstant(element, text);
          }
        }
        return null;
      }
      if (element.getQualifiedName().contentEquals("java.lang.String")) {
        return text;
      }
      try {
        t = types.unboxedType(t);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    try {
      return switch (t.getKind()) {
        case BOOLEAN ->
            text.equals("true") ? Boolean.TRUE : text.equals("false") ? Boolean.FALSE : null;
        case INT -> Integer.valueOf(text);
        case LONG -> Long.valueOf(text);
        case SHORT -> Short.valueOf(text);
        case BYTE -> Byte.valueOf(text);
        case DOUBLE -> Double.valueOf(text);
        case FLOAT -> Float.valueOf(text);
        case CHAR -> text.length() == 1 ? text.charAt(0) : null;
        default -> null;
      };
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String signature(ExecutableElement m) {
    return m.getSimpleName()
        + m.getParameters().stream()
            .map(p -> simple(p.asType()) + " " + p.getSimpleName())
            .collect(Collectors.joining(", ", "(", ")"));
  }

  private static String simple(TypeMirror type) {
    String s = type.toString();
    return s.substring(s.lastIndexOf('.') + 1);
  }

  private static TypeElement superclass(TypeElement type) {
    return type.getSuperclass() instanceof DeclaredType d ? (TypeElement) d.asElement() : null;
  }

  /** {@code forward}, or {@code forwardFeatures(returnAux=false)}: what a configuration traced. */
  public String describe() {
    String name = method.getSimpleName().toString();
    if (text.isEmpty()) {
      return name;
    }
    return name
        + text.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(", ", "(", ")"));
  }
}
