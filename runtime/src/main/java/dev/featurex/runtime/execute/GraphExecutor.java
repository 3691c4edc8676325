package dev.featurex.runtime.execute;

import dev.featurex.graph.Graph;
import dev.featurex.graph.GraphNode;
import dev.featurex.graph.InferencePlan;
import dev.featurex.graph.NodeTraits;
import dev.featurex.graph.ReturnNodes.Selection;
import dev.featurex.runtime.internal.FeatureScope;
import dev.featurex.runtime.internal.GraphProgram;
import dev.featurex.runtime.internal.InferenceState;
import dev.featurex.runtime.internal.Optimizations;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Runs the pruned plan of one graph for a fixed set of return nodes: the execution core shared by
 * {@code FeatureExtractor} and generated typed extractors.
 *
 * <p>The rules it enforces:
 *
 * <ul>
 *   <li>Only the nodes the selected ones need are computed ({@link Graph#plan}): nothing after the
 *       last selected node, no unused branch.
 *   <li>Every value created while the plan runs lives in a {@link PointerScope} opened for the call
 *       and is freed before the call returns, deterministically, except the returned tensors. The
 *       caller's input tensors are never freed.
 *   <li>A returned tensor is a new handle on the node's tensor (same storage, no copy). When the
 *       caller has a {@link PointerScope} open, that scope owns the returned tensors; otherwise
 *       they are ordinary tensors that the garbage collector (or {@code close()}) frees.
 *   <li>A {@link RuntimeException} thrown while computing a node is rethrown as a {@link
 *       NodeExecutionException} that names the node.
 *   <li>An executor made with {@link Optimizations} also has an {@link InferencePlan}, decided
 *       here, once: {@link #execute(GraphProgram, InferenceState, Tensor...)} runs it when the
 *       optimizations apply (gradients off), computing folded batch norms and max poolings through
 *       the {@link InferenceState} of {@link #bind}, in-place variants through {@link
 *       GraphProgram#computeInPlace}, and freeing each value the call made after its last use.
 * </ul>
 *
 * <p>Immutable and thread-safe: all per-call state lives on the calling thread (PointerScope is
 * thread-local), so one executor serves many threads at once, given a stateless {@link
 * GraphProgram}.
 */
public final class GraphExecutor {

  private final Graph graph;
  private final int[] placeholders;
  private final int[] outputs;
  private final List<String> keys;
  private final InferenceRun inference;
  private final InferenceRun plain;

  /** How a step of an inference run computed its node. */
  public enum StepKind {
    /** Through {@link GraphProgram#compute}, as {@code forward} does. */
    COMPUTE,
    /** Through {@link GraphProgram#computeInPlace}. */
    IN_PLACE,
    /** A batch norm and the convolution before it, as one folded convolution. */
    FOLDED,
    /** A max pooling in the faster layout. */
    MAX_POOL,
    /** A convolution by the faster kernel, libtorch's or oneDNN's. */
    CONVOLUTION
  }

  /** Receives the time of each step of a run, for profiles ({@code OpProfile}). */
  @FunctionalInterface
  public interface StepTimes {
    /**
     * Step of node {@code node} took {@code computeNanos} to compute and {@code freeNanos} to free
     * the values whose last use it was.
     */
    void step(int node, StepKind kind, long computeNanos, long freeNanos);
  }

  /**
   * An executor that returns the nodes of {@code selections}, in the selections' order (execution
   * order when they come from {@code ReturnNodes.select}).
   *
   * @throws IllegalArgumentException when a selection names no node of {@code graph}, or two
   *     selections share a key
   */
  public GraphExecutor(Graph graph, List<Selection> selections) {
    this(graph, selections, List.of(), Optimizations.none());
  }

  /**
   * An executor as {@link #GraphExecutor(Graph, List)} makes, which also plans, from the nodes'
   * {@code traits} (one per node, or none), how to compute the selections with {@code
   * optimizations} when they apply.
   *
   * @throws IllegalArgumentException as the other constructor, or when {@code traits} is neither
   *     empty nor one per node
   */
  public GraphExecutor(
      Graph graph,
      List<Selection> selections,
      List<NodeTraits> traits,
      Optimizations optimizations) {
    this.graph = Objects.requireNonNull(graph, "graph");
    List<GraphNode> nodes = graph.nodes();
    this.outputs = new int[selections.size()];
    List<String> keyList = new ArrayList<>(selections.size());
    for (int i = 0; i < outputs.length; i++) {
      Selection selection = selections.get(i);
      if (selection.node() < 0 || selection.node() >= nodes.size()) {
        throw new IllegalArgumentException(
            "selection " + selection + " names no node of the graph");
      }
      if (keyList.contains(selection.key())) {
        throw new IllegalArgumentException("the key \"" + selection.key() + "\" is used twice");
      }
      outputs[i] = selection.node();
      keyList.add(selection.key());
    }
    this.keys = Collections.unmodifiableList(keyList);
    this.placeholders =
        java.util.stream.IntStream.range(0, nodes.size())
            .filter(i -> nodes.get(i).op() == GraphNode.Op.PLACEHOLDER)
            .toArray();
    this.inference =
        InferenceRun.of(
            graph, traits, outputs, Objects.requireNonNull(optimizations, "optimizations"));
    this.plain = InferenceRun.plain(graph, outputs);
  }

  /** The graph this executor runs. */
  public Graph graph() {
    return graph;
  }

  /** The keys of the returned tensors, in the order {@link #execute} returns them. */
  public List<String> keys() {
    return keys;
  }

  /** The indices of the nodes computed per call (placeholders excluded), in execution order. */
  public int[] steps() {
    return plain.plan().steps();
  }

  /** The index of the node returned under each key, in {@link #keys()} order. */
  public int[] outputs() {
    return outputs.clone();
  }

  /**
   * Runs the plan on {@code inputs} (one tensor per placeholder, in order) and returns the selected
   * tensors keyed as given, in {@link #keys()} order.
   */
  public Map<String, Tensor> run(GraphProgram program, Tensor... inputs) {
    return keyed(execute(program, inputs));
  }

  /**
   * {@link #execute(GraphProgram, InferenceState, Tensor...)}, keyed as given, in {@link #keys()}
   * order.
   */
  public Map<String, Tensor> run(GraphProgram program, InferenceState state, Tensor... inputs) {
    return keyed(execute(program, state, inputs));
  }

  private Map<String, Tensor> keyed(Tensor[] results) {
    Map<String, Tensor> map = new LinkedHashMap<>();
    for (int i = 0; i < results.length; i++) {
      map.put(keys.get(i), results[i]);
    }
    return map;
  }

  /**
   * Runs the plan on {@code inputs} (one tensor per placeholder, in order) and returns the selected
   * tensors in {@link #keys()} order; everything else computed is freed before this returns.
   *
   * @throws IllegalArgumentException when the number of inputs is wrong or an input is null
   * @throws NodeExecutionException when a node fails
   * @throws IllegalStateException when a selected node's value is not a tensor
   */
  public Tensor[] execute(GraphProgram program, Tensor... inputs) {
    return execute(program, InferenceState.none(), null, inputs);
  }

  /** The plan run when the optimizations apply, or empty when it would be the plain one. */
  public Optional<InferencePlan> inferencePlan() {
    return Optional.ofNullable(inference).map(InferenceRun::plan);
  }

  /**
   * The inference state of this executor's plan bound to the modules {@code program} calls ({@link
   * GraphProgram#module}): its folded pairs and max poolings; one per program, kept by the
   * extractor. {@link InferenceState#none()} when the executor has no inference plan.
   *
   * @throws IllegalStateException when the program does not give a module the plan needs
   */
  public InferenceState bind(GraphProgram program) {
    return inference == null ? InferenceState.none() : inference.bind(program);
  }

  /**
   * Runs the inference plan on {@code inputs} when its optimizations apply ({@link
   * InferenceState#apply()}), else {@link #execute(GraphProgram, Tensor...)}; returns the same
   * tensors either way (folded batch norms within float rounding).
   *
   * @param state what {@link #bind} made for {@code program}
   * @throws IllegalArgumentException when {@code state} was not made for this executor's plan
   */
  public Tensor[] execute(GraphProgram program, InferenceState state, Tensor... inputs) {
    return execute(program, state, null, inputs);
  }

  /**
   * {@link #execute(GraphProgram, InferenceState, Tensor...)}, step by step, reporting each step's
   * times to {@code times}: the inference plan when it applies, else the plain plan (each node
   * computed by the program, freed when the call ends). For profiles; results are the same.
   */
  @SuppressWarnings("try") // a PointerScope works by being open, never named
  public Tensor[] execute(
      GraphProgram program, InferenceState state, StepTimes times, Tensor... inputs) {
    InferenceRun run = inference != null && state.apply() ? inference : plain;
    Objects.requireNonNull(program, "program");
    if (run == inference) {
      inference.check(state);
    }
    checkInputs(inputs);
    PointerScope callerScope = PointerScope.getInnerScope();
    Tensor[] results;
    try (PointerScope scope = new PointerScope()) {
      Object[] values = new Object[graph.nodes().size()];
      for (int p = 0; p < placeholders.length; p++) {
        values[placeholders[p]] = inputs[p];
      }
      run.run(program, state, values, inputs, times);
      results = keep(values);
    }
    handOver(results, callerScope);
    return results;
  }

  /** New handles on the selected nodes' values, retained past the call's scope. */
  private Tensor[] keep(Object[] values) {
    Tensor[] selected = new Tensor[outputs.length];
    for (int o = 0; o < outputs.length; o++) {
      selected[o] = tensorOf(outputs[o], values[outputs[o]]);
    }
    Tensor[] results = new Tensor[outputs.length];
    for (int o = 0; o < outputs.length; o++) {
      // A new handle, created in this scope and retained, so that it outlives the scope whether
      // the node's value is an intermediate (freed on close) or one of the caller's inputs.
      results[o] = new Tensor(selected[o]);
      results[o].retainReference();
    }
    return results;
  }

  private void checkInputs(Tensor[] inputs) {
    if (inputs == null) {
      throw new IllegalArgumentException("inputs must not be null");
    }
    if (inputs.length != placeholders.length) {
      throw new IllegalArgumentException(
          "forward takes "
              + placeholders.length
              + " input tensor(s) ("
              + placeholderNames()
              + "), got "
              + inputs.length);
    }
    for (int i = 0; i < inputs.length; i++) {
      FeatureScope.requireInput(inputs[i], i, graph.nodes().get(placeholders[i]).name());
    }
  }

  private String placeholderNames() {
    List<String> names = new ArrayList<>();
    for (int p : placeholders) {
      names.add(graph.nodes().get(p).name());
    }
    return String.join(", ", names);
  }

  private Tensor tensorOf(int node, Object value) {
    if (value instanceof Tensor tensor) {
      return tensor;
    }
    List<String> readers = new ArrayList<>();
    for (GraphNode reader : graph.nodes()) {
      if (reader.inputs().contains(node)) {
        readers.add(reader.name());
      }
    }
    throw new NotATensorException(graph.nodes().get(node).name(), value.getClass(), readers);
  }

  /** Gives the caller's scope, if any, ownership of the results. */
  private static void handOver(Tensor[] results, PointerScope callerScope) {
    if (callerScope == null) {
      return;
    }
    for (Tensor result : results) {
      int before = result.referenceCount();
      callerScope.attach(result);
      // attach retains unless the scope filters classes; only then is our own reference dropped.
      if (result.referenceCount() > before) {
        result.releaseReference();
      }
    }
  }
}
