package dev.featurex.processor.generate;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import java.util.List;
import java.util.Locale;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;

/**
 * Names and text the generated code shares: class names, constants, comments, {@code @Generated}.
 */
final class Names {

  static final String PROCESSOR = "dev.featurex.processor.FeaturexProcessor";
  static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

  private Names() {}

  /** {@code @Generated("dev.featurex.processor.FeaturexProcessor")}, with no date. */
  static AnnotationSpec generated() {
    return AnnotationSpec.builder(GENERATED).addMember("value", "$S", PROCESSOR).build();
  }

  /**
   * The flat name of a model class: its simple names from the outermost class joined by {@code _},
   * each {@code $} made {@code _} too (the runtime derives the same from the binary name).
   */
  static String flat(TypeElement model) {
    StringBuilder name = new StringBuilder(model.getSimpleName());
    for (var e = model.getEnclosingElement();
        e instanceof TypeElement outer;
        e = outer.getEnclosingElement()) {
      name.insert(0, outer.getSimpleName() + "_");
    }
    return name.toString().replace('$', '_');
  }

  /** The package of {@code model}. */
  static String packageOf(TypeElement model) {
    var e = model.getEnclosingElement();
    while (!(e instanceof PackageElement)) {
      e = e.getEnclosingElement();
    }
    return ((PackageElement) e).getQualifiedName().toString();
  }

  /** An upper-case constant for a factory ({@code resnet18()} is {@code RESNET18}). */
  static String constant(String factory) {
    if (factory.startsWith("new ")) {
      return "CONSTRUCTOR";
    }
    String method = factory.substring(0, factory.indexOf('('));
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < method.length(); i++) {
      char c = method.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(method.charAt(i - 1))) {
        out.append('_');
      }
      out.append(Character.isJavaIdentifierPart(c) ? c : '_');
    }
    return out.toString().toUpperCase(Locale.ROOT);
  }

  /** A class name from a factory ({@code resnet18()} is {@code Resnet18}). */
  static String capitalized(String factory) {
    String constant = constant(factory).toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder();
    boolean upper = true;
    for (char c : constant.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  /** {@code text} safe inside a comment or javadoc: one line, no comment terminator. */
  static String comment(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        out.append(' ');
      } else if (c == '\\') {
        out.append("\\\\"); // never the start of a unicode escape, which javac reads everywhere
      } else if (c == '/' && i > 0 && text.charAt(i - 1) == '*') {
        out.append("&#47;");
      } else if (c == '@' || c == '{' || c == '}') {
        out.append("&#").append((int) c).append(';');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * String chunks as a {@code new String[] {...}} expression, one literal per chunk. Each chunk is
   * one literal on one line, never JavaPoet's {@code "line\n" + "line\n" + ...}: javac parses and
   * folds such a chain node by node, and the graphs of a large zoo are tens of thousands of lines.
   */
  static CodeBlock strings(List<String> chunks) {
    return CodeBlock.of(
        "new String[] {$L}",
        chunks.stream().map(c -> CodeBlock.of("$L", literal(c))).collect(CodeBlock.joining(",\n")));
  }

  /**
   * {@code text} as one Java string literal on one line: quotes, backslashes and line breaks
   * escaped, other control characters as octal escapes (never a unicode escape, which javac would
   * read before the literal), everything else as it is.
   */
  static String literal(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c)) { // all of them below 0x100: three octal digits
            out.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7)));
            out.append((char) ('0' + (c & 7)));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
