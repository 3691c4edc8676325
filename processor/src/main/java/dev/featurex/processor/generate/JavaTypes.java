package dev.featurex.processor.generate;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import java.util.Arrays;

/**
 * JavaPoet types from the model's written types ({@code long}, {@code long[]}, {@code a.b/C.D}).
 */
final class JavaTypes {

  static final ClassName TENSOR = ClassName.get("org.bytedeco.pytorch", "Tensor");
  static final ClassName MODULE = ClassName.get("org.bytedeco.pytorch", "Module");
  static final String INTERNAL = "dev.featurex.runtime.internal";
  static final ClassName GRAPH_PROGRAM = ClassName.get(INTERNAL, "GraphProgram");
  static final ClassName BINDINGS = ClassName.get(INTERNAL, "Bindings");

  private JavaTypes() {}

  static TypeName of(String name) {
    if (name.endsWith("[]")) {
      return ArrayTypeName.of(of(name.substring(0, name.length() - 2)));
    }
    return switch (name) {
      case "int" -> TypeName.INT;
      case "long" -> TypeName.LONG;
      case "double" -> TypeName.DOUBLE;
      case "float" -> TypeName.FLOAT;
      case "boolean" -> TypeName.BOOLEAN;
      case "short" -> TypeName.SHORT;
      case "byte" -> TypeName.BYTE;
      case "char" -> TypeName.CHAR;
      case "void" -> TypeName.VOID;
      default -> {
        int slash = name.indexOf('/');
        if (slash < 0) {
          yield ClassName.bestGuess(name);
        }
        String[] simple = name.substring(slash + 1).split("\\.");
        yield ClassName.get(
            name.substring(0, slash), simple[0], Arrays.copyOfRange(simple, 1, simple.length));
      }
    };
  }

  /** The type as a reference type (boxed for primitives): what an {@code Object[]} slot holds. */
  static TypeName boxed(String name) {
    return of(name).box();
  }
}
