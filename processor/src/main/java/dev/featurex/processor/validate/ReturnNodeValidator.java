package dev.featurex.processor.validate;

import dev.featurex.graph.GraphDifferences;
import dev.featurex.graph.ReturnNodes;
import dev.featurex.graph.Suggestions;
import dev.featurex.processor.Message;
import dev.featurex.processor.trace.ModelTracer;
import dev.featurex.processor.trace.TracedGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;

/**
 * Checks an {@code @ExtractFeatures} against the traced graphs with torchvision's rules and the
 * typed record's needs; every problem is a compile error on the annotation value it is about.
 */
public final class ReturnNodeValidator {

  /** Where messages go: the processor's reporter. */
  public interface Sink {
    /**
     * Reports {@code message} on {@code value} of {@code annotation} (or the annotation, when
     * null).
     */
    void report(
        Message message,
        TypeElement element,
        AnnotationMirror annotation,
        AnnotationValue value,
        Object... args);
  }

  /** An entry of a node list: the text and the value to report on. */
  public record Entry(String text, AnnotationValue value) {}

  /** What the validator reads of one annotation. */
  public record Request(
      AnnotationMirror mirror,
      List<Entry> value,
      List<Entry> train,
      List<Entry> eval,
      String name,
      boolean suppressDiffWarning) {}

  private static final String TENSOR = "org.bytedeco.pytorch/Tensor";

  private final Sink sink;
  private final TypeElement model;

  /** A validator for {@code model}'s annotations, reporting to {@code sink}. */
  public ReturnNodeValidator(Sink sink, TypeElement model) {
    this.sink = sink;
    this.model = model;
  }

  /** The plan for {@code request}, or null after reporting its errors. */
  public ExtractorPlan validate(Request request, ModelTracer.Result traced) {
    AnnotationMirror mirror = request.mirror();
    boolean hasValue = !request.value().isEmpty();
    boolean hasTrain = !request.train().isEmpty();
    boolean hasEval = !request.eval().isEmpty();
    if (hasValue && (hasTrain || hasEval)) {
      sink.report(Message.BOTH_NODE_LISTS, model, request.mirror(), null);
      return null;
    }
    if (hasTrain != hasEval) {
      sink.report(Message.ONE_MODE_ONLY, model, request.mirror(), null);
      return null;
    }
    if (!hasValue && !hasTrain) {
      sink.report(Message.NO_NODES, model, request.mirror(), null);
      return null;
    }
    List<Entry> trainEntries = hasValue ? request.value() : request.train();
    List<Entry> evalEntries = hasValue ? request.value() : request.eval();
    Map<String, ReturnNodes.Selection> train = select(trainEntries, traced.train(), mirror);
    Map<String, ReturnNodes.Selection> eval =
        hasValue && train == null ? null : select(evalEntries, traced.eval(), mirror);
    if (train == null || eval == null) {
      return null;
    }
    if (!train.keySet().equals(eval.keySet())) {
      sink.report(
          Message.KEYS_DIFFER, model, request.mirror(), null, train.keySet(), eval.keySet());
      return null;
    }
    if (!request.suppressDiffWarning()) {
      GraphDifferences.warning(traced.train().names(), traced.eval().names())
          .ifPresent(
              w ->
                  sink.report(
                      Message.GRAPH_DIFFERENCE,
                      model,
                      request.mirror(),
                      null,
                      w,
                      traced.factory()));
    }
    List<ExtractorPlan.Component> components = new ArrayList<>();
    for (ReturnNodes.Selection s : eval.values()) {
      String id = identifier(s.key());
      components.add(new ExtractorPlan.Component(s.key(), id, train.get(s.key()).node(), s.node()));
    }
    components.sort((a, b) -> Integer.compare(a.evalNode(), b.evalNode()));
    return new ExtractorPlan(request.name(), traced, List.copyOf(components));
  }

  /** Parses, checks keys and presence, selects; null after reporting. Keyed by key, in order. */
  private Map<String, ReturnNodes.Selection> select(
      List<Entry> entries, TracedGraph graph, AnnotationMirror mirror) {
    List<String> names = graph.names();
    List<ReturnNodes.Request> requests = new ArrayList<>();
    Map<String, Entry> byNode = new HashMap<>();
    Set<String> keys = new HashSet<>();
    Set<String> identifiers = new HashSet<>();
    boolean ok = true;
    for (Entry entry : entries) {
      ReturnNodes.Request request;
      try {
        request = ReturnNodes.parse(entry.text());
      } catch (IllegalArgumentException e) {
        sink.report(
            Message.MALFORMED_NODE, model, mirror, entry.value(), entry.text(), e.getMessage());
        ok = false;
        continue;
      }
      boolean explicitKey = entry.text().contains(":");
      if (explicitKey && !SourceVersion.isName(request.key())) {
        String keyword = SourceVersion.isKeyword(request.key()) ? " (it is a keyword)" : "";
        sink.report(
            Message.BAD_KEY,
            model,
            mirror,
            entry.value(),
            request.key(),
            keyword,
            ReturnNodes.identifierFor(request.key()) + "_");
        ok = false;
        continue;
      }
      if (!keys.add(request.key()) || !identifiers.add(identifier(request.key()))) {
        sink.report(Message.DUPLICATE_KEY, model, mirror, entry.value(), request.key());
        ok = false;
        continue;
      }
      if (!ReturnNodes.isPresent(request.node(), names)) {
        String hint = Suggestions.didYouMean(request.node(), names);
        sink.report(
            Message.NODE_NOT_PRESENT,
            model,
            mirror,
            entry.value(),
            request.node(),
            model.getSimpleName(),
            hint.isEmpty() ? "" : "; " + hint);
        ok = false;
        continue;
      }
      requests.add(request);
      byNode.put(request.node(), entry);
    }
    if (!ok) {
      return null;
    }
    ReturnNodes.Outcome outcome = ReturnNodes.select(names, requests);
    for (ReturnNodes.Request left : outcome.unanswered()) {
      String taker =
          outcome.selections().stream()
              .filter(
                  s ->
                      names.get(s.node()).equals(left.node())
                          || names.get(s.node()).startsWith(left.node() + "."))
              .map(ReturnNodes.Selection::request)
              .findFirst()
              .orElse("another entry");
      sink.report(
          Message.NODE_TAKEN,
          model,
          mirror,
          byNode.get(left.node()).value(),
          left.node(),
          "its last node",
          taker);
      ok = false;
    }
    if (!ok) {
      return null;
    }
    Map<String, ReturnNodes.Selection> out = new java.util.LinkedHashMap<>();
    for (ReturnNodes.Selection s : outcome.selections()) {
      String type = graph.nodes().get(s.node()).javaType();
      if (!type.equals(TENSOR)) {
        sink.report(
            Message.NOT_A_TENSOR,
            model,
            mirror,
            byNode.get(s.request()).value(),
            s.request(),
            names.get(s.node()),
            type.substring(type.lastIndexOf('/') + 1));
        ok = false;
      }
      out.put(s.key(), s);
    }
    return ok ? out : null;
  }

  /** The record component for a key: the key, or the node name made an identifier. */
  static String identifier(String key) {
    String id = ReturnNodes.identifierFor(key);
    return SourceVersion.isKeyword(id) ? id + "_" : id;
  }

  /** Two extractors of one class must differ in name. */
  public void checkNames(List<Request> requests) {
    Set<String> names = new LinkedHashSet<>();
    for (Request r : requests) {
      if (!names.add(r.name())) {
        sink.report(
            Message.DUPLICATE_NAME, model, r.mirror(), null, model.getSimpleName(), r.name());
      }
    }
  }
}
