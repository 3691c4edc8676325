package dev.featurex.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import dev.featurex.processor.validate.ExtractorPlan;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Writes {@code <Model><Name>Features}: the features, in execution order, as a final class with a
 * record's API (a constructor taking every feature, accessors named after the keys, {@code equals},
 * {@code hashCode}, {@code toString}), plus {@code asMap()} and {@code close()}.
 *
 * <p>Why not a record: an IDE or a hand-run javac that recompiles the model's file with the earlier
 * output on the class path makes javac 17 to 22 crash on a processor-generated record
 * (NullPointerException in {@code Lower.generateMandatedAccessors}, JDK-8332297, fixed in JDK 23):
 * the filer loads the old class file before the record is regenerated, and javac keeps the loaded
 * record components. Explicit accessors do not avoid it; a class does.
 */
final class FeaturesWriter {

  private FeaturesWriter() {}

  static TypeSpec write(
      TypeElement model, ExtractorPlan plan, ClassName name, List<? extends Element> origins) {
    MethodSpec.Builder constructor =
        MethodSpec.constructorBuilder()
            .addModifiers(Modifier.PUBLIC)
            .addJavadoc("The features, in execution order.\n");
    CodeBlock.Builder map =
        CodeBlock.builder()
            .addStatement(
                "$T<String, $T> map = new $T<>()",
                Map.class,
                JavaTypes.TENSOR,
                LinkedHashMap.class);
    MethodSpec.Builder close =
        MethodSpec.methodBuilder("close")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .addJavadoc("Frees the feature tensors.\n");
    TypeSpec.Builder type =
        TypeSpec.classBuilder(name)
            .addOriginatingElement(model)
            .addAnnotation(Names.generated())
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addSuperinterface(AutoCloseable.class)
            .addJavadoc(
                "Features of {@link $T} ($L), in execution order.\n",
                ClassName.get(model),
                Names.comment(plan.configuration().factory()));
    List<String> ids = plan.components().stream().map(ExtractorPlan.Component::identifier).toList();
    for (ExtractorPlan.Component c : plan.components()) {
      String nodes = nodes(plan, c);
      String id = c.identifier();
      type.addField(
          FieldSpec.builder(JavaTypes.TENSOR, id, Modifier.PRIVATE, Modifier.FINAL).build());
      constructor
          .addParameter(ParameterSpec.builder(JavaTypes.TENSOR, id).build())
          .addJavadoc("@param $N $L\n", id, nodes)
          .addStatement("this.$N = $N", id, id);
      type.addMethod(
          MethodSpec.methodBuilder(id)
              .addModifiers(Modifier.PUBLIC)
              .returns(JavaTypes.TENSOR)
              .addJavadoc("The feature of $L.\n", nodes)
              .addStatement("return $N", id)
              .build());
      map.addStatement("map.put($S, this.$N)", c.key(), id);
      close.addStatement("$N.close()", id);
    }
    type.addMethod(constructor.build());
    type.addMethod(
        MethodSpec.methodBuilder("asMap")
            .addModifiers(Modifier.PUBLIC)
            .addJavadoc("The features by key (as written in the annotation), in execution order.\n")
            .returns(
                ParameterizedTypeName.get(
                    ClassName.get(Map.class), ClassName.get(String.class), JavaTypes.TENSOR))
            .addCode(map.build())
            .addStatement("return $T.unmodifiableMap(map)", Collections.class)
            .build());
    type.addMethod(close.build());
    addObjectMethods(type, name, ids);
    origins.forEach(type::addOriginatingElement);
    return type.build();
  }

  private static String nodes(ExtractorPlan plan, ExtractorPlan.Component c) {
    String evalNode = plan.configuration().eval().node(c.evalNode()).name();
    String trainNode = plan.configuration().train().node(c.trainNode()).name();
    return evalNode.equals(trainNode)
        ? "node {@code " + Names.comment(evalNode) + "}"
        : "node {@code "
            + Names.comment(evalNode)
            + "} (eval), {@code "
            + Names.comment(trainNode)
            + "} (train)";
  }

  /** A record's {@code equals} (same tensor objects), {@code hashCode} and {@code toString}. */
  private static void addObjectMethods(TypeSpec.Builder type, ClassName name, List<String> ids) {
    CodeBlock same =
        ids.stream()
            .map(id -> CodeBlock.of("$T.equals($N, other.$N)", Objects.class, id, id))
            .collect(CodeBlock.joining("\n&& "));
    type.addMethod(
        MethodSpec.methodBuilder("equals")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(boolean.class)
            .addParameter(Object.class, "o")
            .addJavadoc("Whether {@code o} holds the same tensor objects, as a record compares.\n")
            .addStatement(
                "return o instanceof $T other$L",
                name,
                ids.isEmpty() ? "" : CodeBlock.of("\n$>&& $L$<", same))
            .build());
    type.addMethod(
        MethodSpec.methodBuilder("hashCode")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(int.class)
            .addStatement(
                "return $T.hash($L)",
                Objects.class,
                ids.stream().map(id -> CodeBlock.of("$N", id)).collect(CodeBlock.joining(", ")))
            .build());
    CodeBlock parts =
        ids.stream()
            .map(
                id ->
                    CodeBlock.of(
                        "$S + $T.describe($N)", id + "=", ExtractorWriter.FEATURE_SCOPE, id))
            .collect(CodeBlock.joining(" + \", \" + "));
    type.addMethod(
        MethodSpec.methodBuilder("toString")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(String.class)
            .addStatement(
                "return $S$L + \"]\"",
                name.simpleName() + "[",
                ids.isEmpty() ? "" : CodeBlock.of(" + $L", parts))
            .build());
  }
}
