package dev.featurex.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import dev.featurex.processor.validate.ExtractorPlan;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Writes {@code <Model><Name>Features}: a record of the features, in execution order, with {@code
 * asMap()} and {@code close()}. Its accessors are written out: javac 17 to 22 crash when a record
 * with implicit accessors is recompiled from source with its earlier class file on the class path
 * (JDK-8332297), which IDEs and incremental builds do.
 */
final class FeaturesWriter {

  private FeaturesWriter() {}

  static TypeSpec write(TypeElement model, ExtractorPlan plan, ClassName name) {
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder();
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
    TypeSpec.Builder record =
        TypeSpec.recordBuilder(name)
            .addOriginatingElement(model)
            .addAnnotation(Names.generated())
            .addModifiers(Modifier.PUBLIC)
            .addSuperinterface(AutoCloseable.class)
            .addJavadoc(
                "Features of {@link $T} ($L), in execution order.\n",
                ClassName.get(model),
                Names.comment(plan.configuration().factory()));
    for (ExtractorPlan.Component c : plan.components()) {
      String evalNode = plan.configuration().eval().node(c.evalNode()).name();
      String trainNode = plan.configuration().train().node(c.trainNode()).name();
      String nodes =
          evalNode.equals(trainNode)
              ? "node {@code " + Names.comment(evalNode) + "}"
              : "node {@code "
                  + Names.comment(evalNode)
                  + "} (eval), {@code "
                  + Names.comment(trainNode)
                  + "} (train)";
      constructor.addParameter(
          ParameterSpec.builder(JavaTypes.TENSOR, c.identifier())
              .addJavadoc("$L\n", nodes)
              .build());
      record.addMethod(
          MethodSpec.methodBuilder(c.identifier())
              .addModifiers(Modifier.PUBLIC)
              .returns(JavaTypes.TENSOR)
              .addJavadoc("The feature of $L.\n", nodes)
              .addStatement("return $N", c.identifier())
              .build());
      map.addStatement("map.put($S, $N)", c.key(), c.identifier());
      close.addStatement("$N.close()", c.identifier());
    }
    return record
        .recordConstructor(constructor.build())
        .addMethod(
            MethodSpec.methodBuilder("asMap")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc(
                    "The features by key (as written in the annotation), in execution order.\n")
                .returns(
                    ParameterizedTypeName.get(
                        ClassName.get(Map.class), ClassName.get(String.class), JavaTypes.TENSOR))
                .addCode(map.build())
                .addStatement("return $T.unmodifiableMap(map)", Collections.class)
                .build())
        .addMethod(close.build())
        .build();
  }
}
