package dev.featurex.processor.validate;

import dev.featurex.graph.GraphDifferences;
import dev.featurex.graph.ReturnNodes;
import dev.featurex.graph.Suggestions;
import dev.featurex.processor.diagnostics.Message;
import dev.featurex.processor.diagnostics.Reporter;
import dev.featurex.processor.model.Configuration;
import dev.featurex.processor.model.TracedGraph;
import dev.featurex.processor.model.TypeNames;
import dev.featurex.processor.request.ModelRequest;
import dev.featurex.processor.request.ModelRequest.Entry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;

/**
 * Checks an {@code @ExtractFeatures} against the traced graphs with torchvision's rules and the
 * typed record's needs; every problem is a compile error on the annotation value it is about.
 */
public final class ReturnNodeValidator {

  /**
   * The most features one record holds: a canonical constructor takes at most 255 parameter slots.
   */
  static final int MAX_FEATURES = 254;

  /** Names a record component may not have: the record's own methods and {@code Object}'s. */
  static final Set<String> RESERVED =
      Set.of(
          "close",
          "asMap",
          "hashCode",
          "toString",
          "getClass",
          "notify",
          "notifyAll",
          "wait",
          "clone",
          "finalize");

  private final Reporter reporter;
  private final TypeElement model;

  /** A validator for {@code model}'s annotations, reporting to {@code reporter}. */
  public ReturnNodeValidator(Reporter reporter, TypeElement model) {
    this.reporter = reporter;
    this.model = model;
  }

  /** The plan for {@code request}, or null after reporting its errors. */
  public ExtractorPlan validate(ModelRequest request, Configuration traced) {
    boolean hasValue = !request.value().isEmpty();
    boolean hasTrain = !request.train().isEmpty();
    boolean hasEval = !request.eval().isEmpty();
    if (hasValue && (hasTrain || hasEval)) {
      return fail(Message.BOTH_NODE_LISTS, request);
    }
    if (hasTrain != hasEval) {
      return fail(Message.ONE_MODE_ONLY, request);
    }
    if (!hasValue && !hasTrain) {
      return fail(Message.NO_NODES, request);
    }
    Map<String, ReturnNodes.Selection> train =
        select(hasValue ? request.value() : request.train(), traced.train(), request);
    Map<String, ReturnNodes.Selection> eval =
        hasValue && train == null
            ? null
            : select(hasValue ? request.value() : request.eval(), traced.eval(), request);
    if (train == null || eval == null) {
      return null;
    }
    if (!train.keySet().equals(eval.keySet())) {
      return fail(Message.KEYS_DIFFER, request, train.keySet(), eval.keySet());
    }
    if (eval.size() > MAX_FEATURES) {
      return fail(Message.TOO_MANY_FEATURES, request, eval.size(), MAX_FEATURES);
    }
    if (!request.suppressDiffWarning()) {
      GraphDifferences.warning(traced.train().names(), traced.eval().names())
          .ifPresent(
              w ->
                  reporter.report(
                      Message.GRAPH_DIFFERENCE,
                      model,
                      request.mirror(),
                      null,
                      model.getSimpleName(),
                      w,
                      traced.factory()));
    }
    List<ExtractorPlan.Component> components = new ArrayList<>();
    for (ReturnNodes.Selection s : eval.values()) {
      components.add(
          new ExtractorPlan.Component(
              s.key(), identifier(s.key()), train.get(s.key()).node(), s.node()));
    }
    components.sort((a, b) -> Integer.compare(a.evalNode(), b.evalNode()));
    return new ExtractorPlan(request.name(), traced, components);
  }

  private ExtractorPlan fail(Message message, ModelRequest request, Object... args) {
    reporter.report(message, model, request.mirror(), null, args);
    return null;
  }

  /** Parses, checks keys and presence, selects; null after reporting. Keyed by key, in order. */
  private Map<String, ReturnNodes.Selection> select(
      List<Entry> entries, TracedGraph graph, ModelRequest request) {
    List<String> names = graph.names();
    List<ReturnNodes.Request> requests = new ArrayList<>();
    Map<String, Entry> byNode = new HashMap<>();
    Set<String> keys = new HashSet<>();
    Set<String> identifiers = new HashSet<>();
    boolean ok = true;
    for (Entry entry : entries) {
      ReturnNodes.Request parsed = parse(entry, request);
      if (parsed == null) {
        ok = false;
      } else if (!keys.add(parsed.key()) || !identifiers.add(identifier(parsed.key()))) {
        report(Message.DUPLICATE_KEY, request, entry, parsed.key());
        ok = false;
      } else if (!isPresent(entry, parsed.node(), names, request)) {
        ok = false;
      } else {
        requests.add(parsed);
        byNode.put(parsed.node(), entry);
      }
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
      report(
          Message.NODE_TAKEN,
          request,
          byNode.get(left.node()),
          left.node(),
          "its last node",
          taker);
      ok = false;
    }
    Map<String, ReturnNodes.Selection> out = new LinkedHashMap<>();
    for (ReturnNodes.Selection s : outcome.selections()) {
      if (!graph.node(s.node()).isTensor()) {
        String type = graph.node(s.node()).javaType();
        report(
            Message.NOT_A_TENSOR,
            request,
            byNode.get(s.request()),
            s.request(),
            names.get(s.node()),
            TypeNames.simpleName(type));
        ok = false;
      }
      out.put(s.key(), s);
    }
    return ok ? out : null;
  }

  private ReturnNodes.Request parse(Entry entry, ModelRequest request) {
    ReturnNodes.Request parsed;
    try {
      parsed = ReturnNodes.parse(entry.text());
    } catch (IllegalArgumentException e) {
      report(Message.MALFORMED_NODE, request, entry, entry.text(), e.getMessage());
      return null;
    }
    boolean explicitKey = entry.text().contains(":");
    if (explicitKey && !SourceVersion.isName(parsed.key())) {
      String keyword = SourceVersion.isKeyword(parsed.key()) ? " (it is a keyword)" : "";
      report(
          Message.BAD_KEY,
          request,
          entry,
          parsed.key(),
          keyword,
          ReturnNodes.identifierFor(parsed.key()) + "_");
      return null;
    }
    String identifier = identifier(parsed.key());
    if (RESERVED.contains(identifier)) {
      report(Message.RESERVED_KEY, request, entry, parsed.key(), identifier, identifier + "_");
      return null;
    }
    return parsed;
  }

  private boolean isPresent(Entry entry, String node, List<String> names, ModelRequest request) {
    try {
      if (ReturnNodes.isPresent(node, names)) {
        return true;
      }
    } catch (IllegalArgumentException e) {
      report(Message.NODE_TOO_COSTLY, request, entry, e.getMessage());
      return false;
    }
    String hint = Suggestions.didYouMean(node, names);
    report(
        Message.NODE_NOT_PRESENT,
        request,
        entry,
        node,
        model.getSimpleName(),
        hint.isEmpty() ? "" : "; " + hint);
    return false;
  }

  private void report(Message message, ModelRequest request, Entry entry, Object... args) {
    reporter.report(message, model, request.mirror(), entry == null ? null : entry.value(), args);
  }

  /** The record component for a key: the key, or the node name made an identifier. */
  static String identifier(String key) {
    String id = ReturnNodes.identifierFor(key);
    return SourceVersion.isKeyword(id) ? id + "_" : id;
  }

  /** Two extractors of one class must differ in name. */
  public void checkNames(List<ModelRequest> requests) {
    Set<String> names = new LinkedHashSet<>();
    for (ModelRequest r : requests) {
      if (!r.traceable() && !names.add(r.name())) {
        reporter.report(
            Message.DUPLICATE_NAME, model, r.mirror(), null, model.getSimpleName(), r.name());
      }
    }
  }
}
