package dev.featurex.processor;

import dev.featurex.processor.diagnostics.Message;
import dev.featurex.processor.diagnostics.Reporter;
import dev.featurex.processor.generate.Generator;
import dev.featurex.processor.model.Configuration;
import dev.featurex.processor.request.ModelRequest;
import dev.featurex.processor.request.TracedMethod;
import dev.featurex.processor.trace.Access;
import dev.featurex.processor.trace.TraceEnvironment;
import dev.featurex.processor.trace.TraceException;
import dev.featurex.processor.validate.ExtractorPlan;
import dev.featurex.processor.validate.ReturnNodeValidator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;

/**
 * The pipeline for one model class: read its annotations, trace each configuration they name
 * (structure, then {@code forward} in both modes), validate the return nodes, generate. Each step
 * runs only when the ones before it reported no error.
 */
final class ModelProcessor {

  private final ProcessingEnvironment processing;
  private final Reporter reporter;
  private final TraceEnvironment env;
  private final Options options;
  private final Generator generator;

  ModelProcessor(
      ProcessingEnvironment processing,
      Reporter reporter,
      TraceEnvironment env,
      Options options,
      Generator generator) {
    this.processing = processing;
    this.reporter = reporter;
    this.env = env;
    this.options = options;
    this.generator = generator;
  }

  void process(TypeElement model) {
    List<ModelRequest> requests =
        ModelRequest.readAll(model, processing.getElementUtils(), reporter);
    if (requests.isEmpty() || reporter.hasFailed(model)) {
      return;
    }
    if (!env.hasPresets()) {
      reporter.report(Message.NO_PRESETS, model);
      return;
    }
    if (!env.isModule(model)) {
      ModelRequest first = requests.get(0);
      reporter.report(
          Message.NOT_A_MODULE,
          model,
          first.mirror(),
          null,
          first.annotationName(),
          model.getSimpleName());
      return;
    }
    if (!Access.fromPackage(model, Access.packageOf(model))) {
      reporter.report(Message.MODEL_NOT_ACCESSIBLE, model, model.getQualifiedName());
      return;
    }
    Timing timing = new Timing();
    Map<String, Configuration> traced = new LinkedHashMap<>();
    Map<ModelRequest, Configuration> configurations = trace(model, requests, traced, timing);
    if (reporter.hasFailed(model)) {
      return;
    }
    long validating = System.nanoTime();
    List<ExtractorPlan> plans = new ArrayList<>();
    ReturnNodeValidator validator = new ReturnNodeValidator(reporter, model);
    for (ModelRequest request : requests) {
      if (!request.traceable()) {
        ExtractorPlan plan = validator.validate(request, configurations.get(request));
        if (plan != null) {
          plans.add(plan);
        }
      }
    }
    validator.checkNames(requests);
    timing.add("validate", validating);
    if (reporter.hasFailed(model)) {
      return;
    }
    long generating = System.nanoTime();
    List<Configuration> distinct = List.copyOf(traced.values());
    try {
      generator.generate(model, distinct, plans, options.dump());
    } catch (IOException e) {
      reporter.report(Message.INTERNAL, model, model.getQualifiedName(), e);
      return;
    }
    timing.add("generate", generating);
    if (options.timing()) {
      reporter.report(Message.TIMING, model, model.getSimpleName(), timing);
    }
  }

  /**
   * Traces every configuration the requests name (each factory once per set of leaf modules, in
   * {@code byKey} in order); returns the configuration each request's first factory built, which is
   * the one its extractor uses.
   */
  private Map<ModelRequest, Configuration> trace(
      TypeElement model,
      List<ModelRequest> requests,
      Map<String, Configuration> byKey,
      Timing timing) {
    ConfigurationTracer tracer = new ConfigurationTracer(env);
    Map<ModelRequest, Configuration> first = new IdentityHashMap<>();
    Set<String> attempted = new HashSet<>();
    for (ModelRequest request : requests) {
      TracedMethod method =
          TracedMethod.resolve(
              model, request, processing.getElementUtils(), processing.getTypeUtils(), reporter);
      Set<String> functions = leafFunctions(model, request);
      if (method == null || functions == null) {
        continue;
      }
      for (String factoryName : request.factories()) {
        String key =
            String.join(
                "|",
                factoryName,
                request.leafModules().stream().sorted().toList().toString(),
                method.describe(),
                functions.stream().sorted().toList().toString());
        Configuration traced = byKey.get(key);
        if (traced == null && attempted.add(key)) {
          ExecutableElement factory = factory(model, factoryName, request);
          traced =
              factory == null
                  ? null
                  : trace(tracer, model, factory, method, request.leafModules(), functions, timing);
          if (traced != null) {
            byKey.put(key, traced);
          }
        }
        if (traced != null) {
          first.putIfAbsent(request, traced);
        }
      }
    }
    return first;
  }

  /** The request's {@code leafFunctions} as {@code "pkg.Class.method"}; null after an error. */
  private Set<String> leafFunctions(TypeElement model, ModelRequest request) {
    Set<String> functions = new HashSet<>();
    for (ModelRequest.Entry e : request.leafFunctions()) {
      int dot = e.text().lastIndexOf('.');
      TypeElement owner =
          dot < 0 ? null : processing.getElementUtils().getTypeElement(e.text().substring(0, dot));
      String method = e.text().substring(dot + 1);
      boolean found =
          owner != null
              && ElementFilter.methodsIn(owner.getEnclosedElements()).stream()
                  .anyMatch(
                      m ->
                          m.getSimpleName().contentEquals(method)
                              && m.getModifiers().contains(Modifier.STATIC));
      if (!found) {
        reporter.report(Message.BAD_LEAF_FUNCTION, model, request.mirror(), e.value(), e.text());
        return null;
      }
      functions.add(owner.getQualifiedName() + "." + method);
    }
    return functions;
  }

  private Configuration trace(
      ConfigurationTracer tracer,
      TypeElement model,
      ExecutableElement factory,
      TracedMethod method,
      Set<String> leafModules,
      Set<String> leafFunctions,
      Timing timing) {
    long start = System.nanoTime();
    try {
      Configuration traced = tracer.trace(model, factory, method, leafModules, leafFunctions);
      timing.add("trace " + traced.factory(), start);
      traced
          .leavesWithoutSource()
          .forEach(leaf -> reporter.report(Message.NO_SOURCE_LEAF, model, leaf));
      return traced;
    } catch (TraceException e) {
      reporter.reportTree(model, e.getMessage(), e.tree(), e.unit());
      return null;
    }
  }

  /**
   * The factory method {@code name}, or the no-argument constructor for {@code ""}; null after an
   * error.
   */
  private ExecutableElement factory(TypeElement model, String name, ModelRequest request) {
    AnnotationValue where = request.member(request.traceable() ? "factories" : "factory");
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
      if (!m.getSimpleName().contentEquals(name)) {
        continue;
      }
      if (!m.getModifiers().contains(Modifier.STATIC) || !m.getParameters().isEmpty()) {
        reporter.report(
            Message.FACTORY_NOT_STATIC,
            model,
            request.mirror(),
            where,
            name,
            model.getSimpleName());
        return null;
      }
      if (!processing.getTypeUtils().isAssignable(m.getReturnType(), model.asType())
          && !processing.getTypeUtils().isAssignable(model.asType(), m.getReturnType())) {
        reporter.report(
            Message.FACTORY_RETURNS_OTHER,
            model,
            request.mirror(),
            where,
            name + "()",
            m.getReturnType(),
            model.getSimpleName());
        return null;
      }
      return m;
    }
    reporter.report(
        Message.FACTORY_MISSING, model, request.mirror(), where, model.getSimpleName(), name);
    return null;
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
        text.append(String.format(Locale.ROOT, "%s %.1f ms, ", e.getKey(), e.getValue()));
        total += e.getValue();
      }
      return text.append(String.format(Locale.ROOT, "total %.1f ms", total)).toString();
    }
  }
}
