package dev.featurex.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.featurex.graph.ModuleTreeSignature;
import dev.featurex.graph.Records;
import dev.featurex.processor.model.Configuration;
import dev.featurex.processor.model.FieldGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Writes {@code <Flat>_FeatureGraph}: every traced configuration of a model (factory, module tree,
 * train and eval graphs as text, decoded by the runtime on first use) as a constant, each distinct
 * graph's program table, and the one program class that runs them all ({@link ProgramWriter}).
 */
final class DescriptorWriter {

  static final ClassName TRACED_MODEL = ClassName.get(JavaTypes.INTERNAL, "TracedModel");
  static final ClassName CONFIGURATION = ClassName.get(JavaTypes.INTERNAL, "TracedConfiguration");
  static final ClassName GENERATED_CONFIGURATION =
      ClassName.get(JavaTypes.INTERNAL, "GeneratedConfiguration");

  /** The program class: the descriptor's only nested class. */
  static final String PROGRAM = "Program";

  private DescriptorWriter() {}

  private static FieldSpec table(String constant, CodeBlock initializer) {
    return FieldSpec.builder(
            ProgramWriter.PROGRAM_TABLE,
            constant,
            Modifier.PRIVATE,
            Modifier.STATIC,
            Modifier.FINAL)
        .initializer(initializer)
        .build();
  }

  private static CodeBlock bind(String table) {
    return CodeBlock.of("model -> new $N($N, model)", PROGRAM, table);
  }

  /**
   * The names of one configuration's members.
   *
   * @param constant the constant that holds it
   * @param trainProgram the constant holding its train graph's program table (the only one when
   *     both graphs are equal)
   * @param evalProgram the constant holding its eval graph's program table, when it differs
   */
  record Members(String constant, String trainProgram, String evalProgram) {}

  /** The configuration's guards as records: kind, value, then the steps to the field. */
  private static List<List<String>> guards(Configuration c) {
    List<List<String>> records = new ArrayList<>();
    for (FieldGuard g : c.guards()) {
      List<String> record = new ArrayList<>(List.of(g.kind(), g.value()));
      record.addAll(g.steps());
      records.add(record);
    }
    return records;
  }

  /** The descriptor of {@code model}, with every configuration's members, in order. */
  static JavaFile write(
      String pkg,
      String className,
      TypeElement model,
      Map<Configuration, Members> configurations,
      List<? extends Element> origins) {
    TypeSpec.Builder type =
        TypeSpec.classBuilder(className)
            .addOriginatingElement(model)
            .addAnnotation(Names.generated())
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addSuperinterface(TRACED_MODEL)
            .addJavadoc(
                "The graphs featurex traced for {@link $T}; found by the runtime from the model's"
                    + " class.\n",
                ClassName.get(model));
    CodeBlock.Builder list = CodeBlock.builder();
    ProgramWriter programs = new ProgramWriter();
    for (Map.Entry<Configuration, Members> e : configurations.entrySet()) {
      Configuration c = e.getKey();
      String constant = e.getValue().constant();
      boolean same = c.sameInBothModes();
      String trainProgram = e.getValue().trainProgram();
      String evalProgram = e.getValue().evalProgram();
      type.addField(table(trainProgram, programs.table(c.train())));
      if (!same) {
        type.addField(table(evalProgram, programs.table(c.eval())));
      }
      type.addField(
          FieldSpec.builder(CONFIGURATION, constant, Modifier.STATIC, Modifier.FINAL)
              .addJavadoc(
                  "$L$L\n", Names.comment(c.factory()), same ? "" : " (train and eval differ)")
              .initializer(
                  "new $T(\n$>$S,\n$S,\n$L,\n$L,\n$L,\n$L,\n$L,\n$L,\n$L)$<",
                  GENERATED_CONFIGURATION,
                  c.factory(),
                  c.method(),
                  Names.strings(
                      Records.chunks(
                          Records.encode(
                              c.concreteArgs().entrySet().stream()
                                  .map(a -> List.of(a.getKey(), a.getValue()))
                                  .toList()))),
                  Names.strings(Records.chunks(Records.encode(guards(c)))),
                  Names.strings(
                      Records.chunks(ModuleTreeSignature.encode(c.modules().signature()))),
                  Names.strings(Records.chunks(c.train().graph().encode())),
                  same ? "null" : Names.strings(Records.chunks(c.eval().graph().encode())),
                  bind(trainProgram),
                  same ? CodeBlock.of("null") : bind(evalProgram))
              .build());

      list.add(list.isEmpty() ? "$N" : ", $N", constant);
    }
    if (!configurations.isEmpty()) {
      type.addType(programs.write(PROGRAM));
    }
    TypeName listType = ParameterizedTypeName.get(ClassName.get(List.class), CONFIGURATION);
    type.addField(
        FieldSpec.builder(
                listType, "CONFIGURATIONS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("$T.of($L)", List.class, list.build())
            .build());
    type.addMethod(
        MethodSpec.constructorBuilder()
            .addModifiers(Modifier.PUBLIC)
            .addJavadoc("Used by the runtime.\n")
            .build());
    type.addMethod(
        MethodSpec.methodBuilder("configurations")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(listType)
            .addStatement("return CONFIGURATIONS")
            .build());
    origins.forEach(type::addOriginatingElement);
    return JavaFile.builder(pkg, type.build()).skipJavaLangImports(true).build();
  }
}
