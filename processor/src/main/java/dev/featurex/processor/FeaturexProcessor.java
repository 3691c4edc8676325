package dev.featurex.processor;

import com.google.auto.service.AutoService;
import com.sun.source.util.Trees;
import dev.featurex.processor.diagnostics.Message;
import dev.featurex.processor.diagnostics.Reporter;
import dev.featurex.processor.generate.Generator;
import dev.featurex.processor.request.ModelRequest;
import dev.featurex.processor.trace.TraceEnvironment;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * featurex's annotation processor: for each class annotated {@code @Traceable} or
 * {@code @ExtractFeatures}, traces every configuration (structure, then trace in train and eval
 * mode), validates the return nodes, and generates the graph descriptor, the typed features and the
 * extractor ({@link ModelProcessor}). Errors go on the annotation value or the tree they are about;
 * nothing is generated for a class with an error, and nothing escapes as an exception: a failure of
 * the processor itself is reported on the model it was processing.
 */
@AutoService(Processor.class)
public final class FeaturexProcessor extends AbstractProcessor {

  private Reporter reporter;
  private ModelProcessor processor;

  @Override
  public synchronized void init(ProcessingEnvironment processing) {
    super.init(processing);
    reporter = new Reporter(processing.getMessager(), Trees.instance(processing));
    TraceEnvironment env = new TraceEnvironment(processing);
    // One generator for every round: it remembers the names generated, so two models cannot
    // claim one.
    Generator generator =
        new Generator(
            processing.getFiler(), processing.getElementUtils(), reporter, env::hasSource);
    processor =
        new ModelProcessor(
            processing, reporter, env, Options.of(processing.getOptions()), generator);
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return ModelRequest.ANNOTATIONS;
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Options.NAMES;
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
    for (TypeElement model : models) {
      try {
        processor.process(model);
      } catch (StackOverflowError e) {
        reporter.report(Message.STACK_OVERFLOW, model, model.getQualifiedName());
      } catch (RuntimeException | LinkageError | AssertionError e) {
        reporter.report(Message.INTERNAL, model, model.getQualifiedName(), e);
      }
    }
    return true;
  }
}
