package dev.featurex.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeSpec;
import dev.featurex.processor.diagnostics.Message;
import dev.featurex.processor.diagnostics.Reporter;
import dev.featurex.processor.model.Configuration;
import dev.featurex.processor.model.TracedNode;
import dev.featurex.processor.validate.ExtractorPlan;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.annotation.processing.Filer;
import javax.annotation.processing.FilerException;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes what one model's validated requests call for: the descriptor {@code <Flat>_FeatureGraph},
 * each extractor's record and class, and, with {@code -Afeaturex.dump=true}, the traced graphs as
 * text. Names are checked first: nothing is written when a generated name would clash with a class
 * that exists or with another generated one.
 */
public final class Generator {

  private final Filer filer;
  private final Elements elements;
  private final Reporter reporter;
  private final Set<String> written = new HashSet<>();
  private final Set<String> compiled = new HashSet<>();

  /** A generator writing through {@code filer}; name clashes go to {@code reporter}. */
  public Generator(Filer filer, Elements elements, Reporter reporter) {
    this.filer = filer;
    this.elements = elements;
    this.reporter = reporter;
  }

  /**
   * Notes the classes a round compiles from source. A generated name is taken when one of them has
   * it. Names are never looked up on the class path: a class file there is this processor's earlier
   * output (an IDE recompiling one file), and loading it before regenerating it is what crashes
   * javac 17 to 22 on records (JDK-8332297).
   */
  public void compiling(Collection<? extends Element> rootElements) {
    for (Element e : rootElements) {
      addTypes(e);
    }
  }

  private void addTypes(Element e) {
    if (e instanceof TypeElement type) {
      compiled.add(type.getQualifiedName().toString());
      for (Element member : type.getEnclosedElements()) {
        addTypes(member);
      }
    }
  }

  /**
   * Generates for {@code model}.
   *
   * @throws IOException when the filer cannot write
   */
  public void generate(
      TypeElement model,
      List<Configuration> configurations,
      List<ExtractorPlan> plans,
      boolean dump)
      throws IOException {
    String pkg = Names.packageOf(model);
    String flat = Names.flat(model);
    ClassName descriptor = ClassName.get(pkg, flat + "_FeatureGraph");
    Map<Configuration, DescriptorWriter.Members> members = members(configurations);
    List<TypeElement> origins = sourcesRead(model, configurations);
    List<JavaFile> files = new ArrayList<>();
    files.add(DescriptorWriter.write(pkg, descriptor.simpleName(), model, members, origins));
    for (ExtractorPlan plan : plans) {
      String base = flat.replace("_", "") + plan.name();
      ClassName features = ClassName.get(pkg, base + "Features");
      ClassName extractor = ClassName.get(pkg, base + "FeatureExtractor");
      TypeSpec record = FeaturesWriter.write(model, plan, features, origins);
      TypeSpec type =
          ExtractorWriter.write(
              model,
              plan,
              features,
              extractor,
              descriptor,
              members.get(plan.configuration()).constant(),
              origins);
      files.add(JavaFile.builder(pkg, record).skipJavaLangImports(true).build());
      files.add(JavaFile.builder(pkg, type).skipJavaLangImports(true).build());
    }
    if (!namesAreFree(model, files)) {
      return;
    }
    for (JavaFile file : files) {
      written.add(file.packageName() + "." + file.typeSpec().name());
      try {
        file.writeTo(filer);
      } catch (FilerException e) {
        reporter.report(
            Message.GENERATED_NAME_TAKEN,
            model,
            file.packageName() + "." + file.typeSpec().name(),
            "a file generated earlier in this compilation");
        return;
      }
    }
    if (dump) {
      dump(model, configurations);
    }
  }

  /**
   * Every class whose source the traces read, besides the model: the generated code depends on them
   * (a block's forward inlined into the model's graph), so they are originating elements, and an
   * incremental build reruns the processor when one of them changes.
   */
  private List<TypeElement> sourcesRead(TypeElement model, List<Configuration> configurations) {
    Set<String> sources = new TreeSet<>();
    configurations.forEach(c -> sources.addAll(c.sourcesRead()));
    List<TypeElement> origins = new ArrayList<>();
    for (String source : sources) {
      TypeElement element = elements.getTypeElement(source);
      if (element != null && !element.equals(model)) {
        origins.add(element);
      }
    }
    return origins;
  }

  private static Map<Configuration, DescriptorWriter.Members> members(
      List<Configuration> configurations) {
    NameAllocator constants = new NameAllocator();
    constants.newName("CONFIGURATIONS");
    Map<Configuration, DescriptorWriter.Members> members = new LinkedHashMap<>();
    for (Configuration c : configurations) {
      String constant = constants.newName(Names.constant(c.factory()));
      String train =
          constants.newName(constant + (c.sameInBothModes() ? "_PROGRAM" : "_TRAIN_PROGRAM"));
      String eval = c.sameInBothModes() ? null : constants.newName(constant + "_EVAL_PROGRAM");
      members.put(c, new DescriptorWriter.Members(constant, train, eval));
    }
    return members;
  }

  /** Reports and returns false when a generated class's name is taken or generated twice. */
  private boolean namesAreFree(TypeElement model, List<JavaFile> files) {
    boolean free = true;
    Set<String> mine = new HashSet<>();
    for (JavaFile file : files) {
      String name = file.packageName() + "." + file.typeSpec().name();
      if (compiled.contains(name)) {
        reporter.report(Message.GENERATED_NAME_TAKEN, model, name, "a class of this compilation");
        free = false;
      } else if (written.contains(name) || !mine.add(name)) {
        reporter.report(
            Message.GENERATED_NAME_TAKEN, model, name, "a class generated for another model");
        free = false;
      }
    }
    return free;
  }

  /** {@code META-INF/featurex/<binary name>.graphs}: one line per node of every graph. */
  private void dump(TypeElement model, List<Configuration> configurations) throws IOException {
    String binary = elements.getBinaryName(model).toString();
    FileObject file =
        filer.createResource(
            StandardLocation.CLASS_OUTPUT, "", "META-INF/featurex/" + binary + ".graphs", model);
    try (Writer out = file.openWriter()) {
      for (Configuration c : configurations) {
        for (boolean training : new boolean[] {true, false}) {
          for (TracedNode n : c.graph(training).nodes()) {
            out.write(
                String.join(
                        "\t",
                        c.factory(),
                        training ? "train" : "eval",
                        n.name(),
                        n.node().op().fxName(),
                        n.node().target(),
                        n.node().inputs().stream()
                            .map(String::valueOf)
                            .collect(Collectors.joining(",")))
                    + "\n");
          }
        }
      }
    }
  }
}
