package dev.featurex.runtime.execute;

import dev.featurex.graph.Graph;
import dev.featurex.graph.InferencePlan;
import dev.featurex.graph.NodeTraits;
import dev.featurex.runtime.internal.GraphProgram;
import dev.featurex.runtime.internal.InferenceState;
import dev.featurex.runtime.internal.Optimizations;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * The inference plan of a {@link GraphExecutor}, decided once, and how to run it: each step
 * computes its node through the program ({@link GraphProgram#compute}), its in-place variant
 * ({@link GraphProgram#computeInPlace}), a folded pair, a max pooling or a convolution of the
 * extractor's {@link InferenceState}; after each step the values whose last use it was are freed.
 * Immutable.
 */
final class InferenceRun {

  private final Graph graph;
  private final InferencePlan plan;
  private final Optimizations optimizations;
  private final int[] foldOfStep;
  private final int[] poolOfStep;
  private final List<Integer> poolNodes = new ArrayList<>();
  private final int[] convolutionOfStep;
  private final List<Integer> convolutionNodes = new ArrayList<>();

  private InferenceRun(
      Graph graph, InferencePlan plan, List<NodeTraits> traits, Optimizations optimizations) {
    this.graph = graph;
    this.plan = plan;
    this.optimizations = optimizations;
    this.foldOfStep = new int[plan.size()];
    int folds = 0;
    for (int k = 0; k < plan.size(); k++) {
      foldOfStep[k] = plan.foldedConvolution(k) >= 0 ? folds++ : -1;
    }
    this.poolOfStep =
        stepsOf(optimizations.channelsLastMaxPool(), NodeTraits.Role.MAX_POOL, traits, poolNodes);
    this.convolutionOfStep =
        stepsOf(
            optimizations.oneDnnConvolution(),
            NodeTraits.Role.CONVOLUTION,
            traits,
            convolutionNodes);
  }

  /**
   * Each step's index among the steps, not folded, whose node has {@code role} (-1 for the others,
   * and for all while {@code on} is false); their nodes are added to {@code nodes} in that order.
   */
  private int[] stepsOf(
      boolean on, NodeTraits.Role role, List<NodeTraits> traits, List<Integer> nodes) {
    int[] index = new int[plan.size()];
    for (int k = 0; k < plan.size(); k++) {
      boolean match =
          on && foldOfStep[k] < 0 && !traits.isEmpty() && traits.get(plan.node(k)).role() == role;
      index[k] = match ? nodes.size() : -1;
      if (match) {
        nodes.add(plan.node(k));
      }
    }
    return index;
  }

  /**
   * The run of {@code outputs} with {@code optimizations}, or null when it would compute exactly
   * what the plain plan computes, the same way.
   */
  static InferenceRun of(
      Graph graph, List<NodeTraits> traits, int[] outputs, Optimizations optimizations) {
    if (!optimizations.any()) {
      return null;
    }
    InferencePlan plan = InferencePlan.of(graph, traits, outputs, optimizations.planOptions());
    InferenceRun run = new InferenceRun(graph, plan, traits, optimizations);
    return plan.isPlain() && run.poolNodes.isEmpty() && run.convolutionNodes.isEmpty() ? null : run;
  }

  InferencePlan plan() {
    return plan;
  }

  /** The extractor's state for this run, bound to the modules {@code program} calls. */
  InferenceState bind(GraphProgram program) {
    List<int[]> pairs = plan.folds();
    Conv2dImpl[] convolutions = new Conv2dImpl[pairs.size()];
    BatchNorm2dImpl[] norms = new BatchNorm2dImpl[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      convolutions[i] = module(program, pairs.get(i)[0], Conv2dImpl.class, Module::asConv2d);
      norms[i] = module(program, pairs.get(i)[1], BatchNorm2dImpl.class, Module::asBatchNorm2d);
    }
    return new InferenceState(
        optimizations,
        convolutions,
        norms,
        modules(program, poolNodes, MaxPool2dImpl.class, Module::asMaxPool2d),
        modules(program, convolutionNodes, Conv2dImpl.class, Module::asConv2d));
  }

  /** The modules of {@code nodes}, in order ({@link #module}). */
  private <M extends Module> M[] modules(
      GraphProgram program, List<Integer> nodes, Class<M> type, Function<Module, M> view) {
    @SuppressWarnings("unchecked") // an array of the class's own type
    M[] modules = (M[]) java.lang.reflect.Array.newInstance(type, nodes.size());
    for (int i = 0; i < modules.length; i++) {
      modules[i] = module(program, nodes.get(i), type, view);
    }
    return modules;
  }

  private <M extends Module> M module(
      GraphProgram program, int node, Class<M> type, Function<Module, M> view) {
    Module module = program.module(node);
    M typed =
        type.isInstance(module) ? type.cast(module) : module == null ? null : view.apply(module);
    if (typed == null || typed.isNull()) {
      throw new IllegalStateException(
          "the program gives no "
              + type.getSimpleName()
              + " for node \""
              + graph.nodes().get(node).name()
              + "\"");
    }
    return typed;
  }

  /** Checks that {@code state} was bound for this run. */
  void check(InferenceState state) {
    Objects.requireNonNull(state, "state");
    if (state.folds() != plan.folds().size()
        || state.pools() != poolNodes.size()
        || state.convolutions() != convolutionNodes.size()) {
      throw new IllegalArgumentException(
          "an inference state for "
              + state.folds()
              + " folds, "
              + state.pools()
              + " poolings and "
              + state.convolutions()
              + " convolutions, the plan has "
              + plan.folds().size()
              + ", "
              + poolNodes.size()
              + " and "
              + convolutionNodes.size()
              + ": make it with GraphExecutor.bind(program)");
    }
  }

  /** The plain plan as a run: every node computed by the program, nothing freed early. */
  static InferenceRun plain(Graph graph, int[] outputs) {
    Optimizations none = Optimizations.none();
    return new InferenceRun(
        graph, InferencePlan.of(graph, List.of(), outputs, none.planOptions()), List.of(), none);
  }

  /**
   * Computes every step into {@code values}, freeing as planned (never an input); reports each
   * step's times to {@code times} when it is not null.
   */
  void run(
      GraphProgram program,
      InferenceState state,
      Object[] values,
      Tensor[] inputs,
      GraphExecutor.StepTimes times) {
    for (int k = 0; k < plan.size(); k++) {
      long start = times == null ? 0 : System.nanoTime();
      values[plan.node(k)] = step(program, state, k, values);
      long computed = times == null ? 0 : System.nanoTime();
      int[] freedAfter = plan.freedAfter(k);
      for (int freed : freedAfter) {
        free(values[freed], inputs);
        values[freed] = null;
      }
      if (times != null) {
        long freeing = freedAfter.length == 0 ? 0 : System.nanoTime() - computed;
        times.step(plan.node(k), kind(k), computed - start, freeing);
      }
    }
  }

  private GraphExecutor.StepKind kind(int k) {
    return foldOfStep[k] >= 0
        ? GraphExecutor.StepKind.FOLDED
        : poolOfStep[k] >= 0
            ? GraphExecutor.StepKind.MAX_POOL
            : convolutionOfStep[k] >= 0
                ? GraphExecutor.StepKind.CONVOLUTION
                : plan.overwritten(k) >= 0
                    ? GraphExecutor.StepKind.IN_PLACE
                    : GraphExecutor.StepKind.COMPUTE;
  }

  private Object step(GraphProgram program, InferenceState state, int k, Object[] values) {
    int node = plan.node(k);
    int[] reads = plan.inputs(k);
    Object[] arguments = new Object[reads.length];
    for (int i = 0; i < reads.length; i++) {
      arguments[i] = values[reads[i]];
    }
    int overwritten = plan.overwritten(k);
    Object value;
    try {
      if (foldOfStep[k] >= 0) {
        value = state.folded(foldOfStep[k], (Tensor) arguments[0]);
      } else if (poolOfStep[k] >= 0) {
        value = state.maxPool(poolOfStep[k], (Tensor) arguments[0]);
      } else if (convolutionOfStep[k] >= 0) {
        value = state.convolution(convolutionOfStep[k], (Tensor) arguments[0]);
      } else if (overwritten >= 0 && optimizations.inPlace()) {
        value = program.computeInPlace(node, overwritten, arguments);
      } else {
        value = program.compute(node, arguments);
      }
    } catch (RuntimeException e) {
      throw new NodeExecutionException(graph.nodes().get(node), e);
    }
    if (value == null) {
      throw new NodeExecutionException(
          graph.nodes().get(node), new NullPointerException("the graph program returned null"));
    }
    return value;
  }

  /**
   * Frees a value the call made; never one of the caller's inputs, whatever the plan says (a
   * program whose traits claim too much can cost memory, never a caller's tensor).
   */
  private static void free(Object value, Tensor[] inputs) {
    if (value instanceof Tensor tensor) {
      for (Tensor input : inputs) {
        if (input == tensor) {
          return;
        }
      }
      tensor.deallocate();
    }
  }
}
