package dev.featurex.processor;

import com.google.auto.service.AutoService;
import com.sun.source.util.Trees;
import dev.featurex.processor.generate.GraphDescriptorWriter;
import dev.featurex.processor.trace.ModelTracer;
import dev.featurex.processor.trace.TraceException;
import dev.featurex.processor.validate.ExtractorPlan;
import dev.featurex.processor.validate.ReturnNodeValidator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;

/**
 * featurex's annotation processor: for each class annotated {@code @Traceable} or
 * {@code @ExtractFeatures}, traces every configuration (structure, then trace in train and eval
 * mode), validates the return nodes, and generates the graph descriptor, the typed features and the
 * extractor. Errors go on the annotation value or the tree they are about; nothing is generated for
 * a class with an error.
 */
@AutoService(Processor.class)
public final class FeaturexProcessor extends AbstractProcessor {

  static final String EXTRACT = "dev.featurex.annotations.ExtractFeatures";
  static final String EXTRACT_LIST = "dev.featurex.annotations.ExtractFeatures.List";
  static final String TRACEABLE = "dev.featurex.annotations.Traceable";

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(EXTRACT, EXTRACT_LIST, TRACEABLE);
  }

  /** {@code -Afeaturex.timing=true}: a note per model with the processor's time, phase by phase. */
  static final String TIMING_OPTION = "featurex.timing";

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(TIMING_OPTION);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Set<TypeElement> models = new LinkedHashSet<>();
    for (TypeElement annotation : annotations) {
      for (Element e : round.getElementsAnnotatedWith(annotation)) {
        if (e instanceof TypeElement type) {
          models.add(type);
        }
      }
    }
    Reporter reporter = new Reporter(processingEnv.getMessager(), Trees.instance(processingEnv));
    for (TypeElement model : models) {
      try {
        processModel(model, reporter);
      } catch (StackOverflowError e) {
        reporter.report(Message.STACK_OVERFLOW, model, model.getQualifiedName());
      } catch (RuntimeException e) {
        reporter.report(Message.INTERNAL, model, model.getQualifiedName(), e);
      }
    }
    return true;
  }

  private void processModel(TypeElement model, Reporter reporter) {
    List<ModelRequest> requests = requests(model, reporter);
    TypeElement module =
        processingEnv.getElementUtils().getTypeElement("org.bytedeco.pytorch.Module");
    if (module == null) {
      reporter.report(Message.NO_PRESETS, model);
      return;
    }
    if (!processingEnv.getTypeUtils().isSubtype(model.asType(), module.asType())) {
      reporter.report(
          Message.NOT_A_MODULE,
          model,
          requests.get(0).mirror(),
          null,
          requests.get(0).traceable() ? "Traceable" : "ExtractFeatures",
          model.getSimpleName());
      return;
    }
    ModelTracer tracer = new ModelTracer(processingEnv);
    Timing timing = new Timing();
    Map<String, ModelTracer.Result> traced = new LinkedHashMap<>();
    for (ModelRequest request : requests) {
      for (String factoryName : request.factories()) {
        String key = factoryName + "|" + request.leafModules();
        if (traced.containsKey(key)) {
          continue;
        }
        ExecutableElement factory = factory(model, factoryName, request, reporter);
        if (factory == null) {
          continue;
        }
        try {
          long start = System.nanoTime();
          ModelTracer.Result result = tracer.trace(model, factory, request.leafModules());
          timing.add("trace " + result.factory(), start);
          traced.put(key, result);
          result
              .leavesWithoutSource()
              .forEach(leaf -> reporter.report(Message.NO_SOURCE_LEAF, model, leaf));
        } catch (TraceException e) {
          reporter.reportTree(model, e.getMessage(), e.tree(), e.unit());
        }
      }
    }
    if (reporter.hasFailed(model)) {
      return;
    }
    long validating = System.nanoTime();
    List<ExtractorPlan> plans = new ArrayList<>();
    ReturnNodeValidator validator = new ReturnNodeValidator(reporter::report, model);
    List<ReturnNodeValidator.Request> extractors = new ArrayList<>();
    for (ModelRequest request : requests) {
      if (!request.traceable()) {
        ReturnNodeValidator.Request r = request.forValidation();
        extractors.add(r);
        ExtractorPlan plan =
            validator.validate(
                r, traced.get(request.factories().get(0) + "|" + request.leafModules()));
        if (plan != null) {
          plans.add(plan);
        }
      }
    }
    validator.checkNames(extractors);
    if (reporter.hasFailed(model)) {
      return;
    }
    timing.add("validate", validating);
    long generating = System.nanoTime();
    String pkg = processingEnv.getElementUtils().getPackageOf(model).getQualifiedName().toString();
    try {
      GraphDescriptorWriter.write(pkg, model, List.copyOf(new LinkedHashSet<>(traced.values())))
          .writeTo(processingEnv.getFiler());
      for (ExtractorPlan plan : plans) {
        dev.featurex.processor.generate.ExtractorWriter.write(pkg, model, plan)
            .forEach(
                file -> {
                  try {
                    file.writeTo(processingEnv.getFiler());
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      reporter.report(Message.INTERNAL, model, model.getQualifiedName(), e);
      return;
    }
    timing.add("generate", generating);
    if (Boolean.parseBoolean(processingEnv.getOptions().get(TIMING_OPTION))) {
      reporter.report(Message.TIMING, model, model.getSimpleName(), timing);
    }
  }

  /** Milliseconds per phase, in order. */
  private static final class Timing {
    private final Map<String, Double> phases = new LinkedHashMap<>();

    void add(String phase, long startNanos) {
      phases.merge(phase, (System.nanoTime() - startNanos) / 1e6, Double::sum);
    }

    @Override
    public String toString() {
      StringBuilder text = new StringBuilder();
      double total = 0;
      for (Map.Entry<String, Double> e : phases.entrySet()) {
        text.append(String.format(java.util.Locale.ROOT, "%s %.1f ms, ", e.getKey(), e.getValue()));
        total += e.getValue();
      }
      return text.append(String.format(java.util.Locale.ROOT, "total %.1f ms", total)).toString();
    }
  }

  private List<ModelRequest> requests(TypeElement model, Reporter reporter) {
    List<ModelRequest> requests = new ArrayList<>();
    for (AnnotationMirror mirror : model.getAnnotationMirrors()) {
      String name = mirror.getAnnotationType().toString();
      if (name.equals(TRACEABLE)) {
        requests.add(ModelRequest.read(mirror, true, processingEnv.getElementUtils()));
      } else if (name.equals(EXTRACT)) {
        requests.add(ModelRequest.read(mirror, false, processingEnv.getElementUtils()));
      } else if (name.equals(EXTRACT_LIST)) {
        for (var e : mirror.getElementValues().entrySet()) {
          int index = 0;
          for (Object inner : (List<?>) e.getValue().getValue()) {
            AnnotationMirror m =
                (AnnotationMirror) ((javax.lang.model.element.AnnotationValue) inner).getValue();
            reporter.repeated(m, index++);
            requests.add(ModelRequest.read(m, false, processingEnv.getElementUtils()));
          }
        }
      }
    }
    return requests;
  }

  private ExecutableElement factory(
      TypeElement model, String name, ModelRequest request, Reporter reporter) {
    var where = request.member(request.traceable() ? "factories" : "factory");
    if (name.isEmpty()) {
      for (ExecutableElement c : ElementFilter.constructorsIn(model.getEnclosedElements())) {
        if (c.getParameters().isEmpty()) {
          return c;
        }
      }
      reporter.report(Message.NO_CONSTRUCTOR, model, request.mirror(), null, model.getSimpleName());
      return null;
    }
    for (ExecutableElement m : ElementFilter.methodsIn(model.getEnclosedElements())) {
      if (m.getSimpleName().contentEquals(name)) {
        if (!m.getModifiers().contains(javax.lang.model.element.Modifier.STATIC)
            || !m.getParameters().isEmpty()) {
          reporter.report(
              Message.FACTORY_NOT_STATIC,
              model,
              request.mirror(),
              where,
              name,
              model.getSimpleName());
          return null;
        }
        return m;
      }
    }
    reporter.report(
        Message.FACTORY_MISSING, model, request.mirror(), where, model.getSimpleName(), name);
    return null;
  }
}
