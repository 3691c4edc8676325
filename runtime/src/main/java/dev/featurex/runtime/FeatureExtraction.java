package dev.featurex.runtime;

import dev.featurex.graph.Graph;
import dev.featurex.graph.GraphDifferences;
import dev.featurex.graph.ReturnNodes.Selection;
import dev.featurex.runtime.execute.GraphExecutor;
import dev.featurex.runtime.internal.GraphProgram;
import dev.featurex.runtime.internal.InferenceState;
import dev.featurex.runtime.internal.Optimizations;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bytedeco.pytorch.Module;

/**
 * torchvision's {@code torchvision.models.feature_extraction} for JavaCPP models: list a model's
 * graph node names, and build extractors that return chosen intermediate tensors.
 *
 * <p>Models it works on: a Java model class processed by the featurex processor ({@code @Traceable}
 * or {@code @ExtractFeatures}), whose instance's module tree matches one of the traced
 * configurations; a {@code SequentialImpl} tree of built-in modules, traced when called. Anything
 * else is an {@link IllegalArgumentException} that says how to make the model traceable.
 *
 * <p>When the train and eval graphs have different nodes, a warning is logged through {@link
 * System.Logger} (logger named after this class), unless {@link
 * ExtractorOptions#suppressDiffWarning()}: one line, the model's class name and torchvision's words
 * ({@code com.example.Net: NOTE: The nodes obtained by tracing the model in eval mode are a
 * subsequence of those obtained in train mode. ...}).
 *
 * <p>A JavaCPP caveat the runtime cannot fix: some built-in modules (BatchNorm, Dropout, pooling,
 * ...) are allocated without a shared owner, so the garbage collector frees them when their Java
 * object becomes unreachable, even after {@code push_back} or {@code register_module}. Keep those
 * Java objects reachable (in fields of the model, as Java models do) while the model or an
 * extractor of it is in use; an extractor keeps the model object itself reachable.
 */
public final class FeatureExtraction {

  private static final System.Logger LOGGER = System.getLogger(FeatureExtraction.class.getName());

  private FeatureExtraction() {}

  /** The node names of {@code model}'s train and eval graphs, in execution order. */
  public static GraphNodeNames getGraphNodeNames(Module model) {
    return getGraphNodeNames(model, ExtractorOptions.builder().build());
  }

  /**
   * The node names of {@code model}'s train and eval graphs, in execution order, traced with the
   * {@code leafModules} of {@code options} and warning about differences unless it suppresses the
   * warning; its return nodes are not read.
   */
  public static GraphNodeNames getGraphNodeNames(Module model, ExtractorOptions options) {
    requireModel(model);
    Objects.requireNonNull(options, "options must not be null");
    ModelGraphs graphs = ModelGraphs.of(model, options);
    GraphNodeNames names =
        new GraphNodeNames(graphs.graph(true).names(), graphs.graph(false).names());
    if (!options.suppressDiffWarning()) {
      warnIfGraphsDiffer(model, names);
    }
    return names;
  }

  /**
   * An extractor returning, for each entry of {@code returnNodes}, the tensor of the node (or the
   * last node under the prefix) named by the entry's key, under the entry's value.
   */
  public static FeatureExtractor createFeatureExtractor(
      Module model, Map<String, String> returnNodes) {
    return createFeatureExtractor(
        model, ExtractorOptions.builder().returnNodes(returnNodes).build());
  }

  /** An extractor returning the tensor of each of {@code returnNodes}, keyed by the given name. */
  public static FeatureExtractor createFeatureExtractor(Module model, List<String> returnNodes) {
    return createFeatureExtractor(
        model, ExtractorOptions.builder().returnNodes(returnNodes).build());
  }

  /**
   * An extractor for {@code options}: torchvision's {@code create_feature_extractor}.
   *
   * @throws IllegalArgumentException for torchvision's argument errors, a return node present in no
   *     node name (with the closest names), two requests that select the same node, or a model that
   *     cannot be traced
   */
  public static FeatureExtractor createFeatureExtractor(Module model, ExtractorOptions options) {
    requireModel(model);
    Objects.requireNonNull(options, "options must not be null");
    ExtractorOptions.ModeReturnNodes requested = options.modeReturnNodes();
    ModelGraphs graphs = ModelGraphs.of(model, options);
    Graph trainGraph = graphs.graph(true);
    Graph evalGraph = graphs.graph(false);
    List<Selection> trainSelections = ReturnNodeSelector.select(trainGraph, requested.train());
    List<Selection> evalSelections = ReturnNodeSelector.select(evalGraph, requested.eval());
    if (!options.suppressDiffWarning()) {
      warnIfGraphsDiffer(model, new GraphNodeNames(trainGraph.names(), evalGraph.names()));
    }
    FeatureExtractor.Mode train =
        mode(graphs, true, new GraphExecutor(trainGraph, trainSelections));
    FeatureExtractor.Mode eval = mode(graphs, false, new GraphExecutor(evalGraph, evalSelections));
    return new FeatureExtractor(model, train, optimized(eval, evalSelections, options));
  }

  private static FeatureExtractor.Mode mode(
      ModelGraphs graphs, boolean training, GraphExecutor executor) {
    GraphProgram program = graphs.bind(training, executor.steps());
    return new FeatureExtractor.Mode(executor, program, InferenceState.none());
  }

  /**
   * The eval mode with the requested optimizations planned (decided here, from the program's node
   * traits and the selections) and its inference state bound; training mode never optimizes.
   */
  private static FeatureExtractor.Mode optimized(
      FeatureExtractor.Mode eval, List<Selection> selections, ExtractorOptions options) {
    GraphExecutor executor =
        new GraphExecutor(
            eval.executor().graph(),
            selections,
            eval.program().traits(),
            Optimizations.of(options.optimizations()));
    return new FeatureExtractor.Mode(executor, eval.program(), executor.bind(eval.program()));
  }

  /**
   * Logs torchvision's warning when the graphs differ, from a named method (a lambda would show up
   * as the source in java.util.logging's header) and with the model's class in the message.
   */
  private static void warnIfGraphsDiffer(Module model, GraphNodeNames names) {
    Optional<String> warning = GraphDifferences.warning(names.train(), names.eval());
    if (warning.isPresent()) {
      LOGGER.log(Level.WARNING, model.getClass().getName() + ": " + warning.get());
    }
  }

  private static void requireModel(Module model) {
    Objects.requireNonNull(model, "model must not be null");
    if (model.isNull()) {
      throw new IllegalArgumentException("model has been freed (its native pointer is null)");
    }
  }
}
