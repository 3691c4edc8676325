package dev.featurex.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;

/**
 * How an extractor runs a graph for inference (eval mode, no grad) when it may do better than
 * {@code forward}: the pruned plan of {@link Graph#plan}, and on top of it, each only where it
 * cannot change a requested value,
 *
 * <ul>
 *   <li><b>batch-norm folding</b>: a batch norm whose only input is a convolution that nothing else
 *       reads and that is not requested runs as one convolution with folded weights, and the
 *       convolution's step is dropped;
 *   <li><b>in-place</b>: a node with an in-place variant ({@code relu_}, {@code add_}) writes into
 *       an input that is not requested, that this node alone reads, whose storage is new ({@link
 *       NodeTraits#freshStorage}) and whose handle the call owns;
 *   <li><b>freeing after the last use</b>: a value the call owns is freed right after the last step
 *       that reads it (or that reads a value which may be it, {@link NodeTraits.Handle#ALIAS}),
 *       never when it is requested or an input of {@code forward}.
 * </ul>
 *
 * <p>The processor makes plans at compile time for generated extractors, the runtime when it builds
 * a run-time extractor: both with this class, so the rules are written once. Immutable.
 */
public final class InferencePlan {

  /** Which optimizations a plan makes. */
  public record Options(boolean foldBatchNorm, boolean inPlace, boolean freeAfterLastUse) {
    /** Every optimization. */
    public static final Options ALL = new Options(true, true, true);

    /** None: the plan is {@link Graph#plan}'s, as {@code forward} computes it. */
    public static final Options NONE = new Options(false, false, false);

    /** Whether any optimization is on. */
    public boolean any() {
      return foldBatchNorm || inPlace || freeAfterLastUse;
    }
  }

  private final int[] steps;
  private final int[] folded;
  private final int[] overwritten;
  private final int[][] freed;
  private final int[][] inputs;

  private InferencePlan(int[] steps, int[] folded, int[] overwritten, int[][] freed, int[][] in) {
    this.steps = steps;
    this.folded = folded;
    this.overwritten = overwritten;
    this.freed = freed;
    this.inputs = in;
  }

  /**
   * The plan computing {@code outputs} of {@code graph} with {@code options}; {@code traits} has
   * one entry per node of the graph, or none (then nothing is known and the plan is the plain one).
   *
   * @throws IllegalArgumentException when {@code traits} is neither empty nor one per node
   */
  public static InferencePlan of(
      Graph graph, List<NodeTraits> traits, int[] outputs, Options options) {
    List<GraphNode> nodes = graph.nodes();
    if (!traits.isEmpty() && traits.size() != nodes.size()) {
      throw new IllegalArgumentException(
          traits.size() + " node traits for a graph of " + nodes.size() + " nodes");
    }
    List<NodeTraits> known =
        traits.isEmpty() ? Collections.nCopies(nodes.size(), NodeTraits.UNKNOWN) : traits;
    BitSet requested = new BitSet(nodes.size());
    for (int o : outputs) {
      requested.set(o);
    }
    int[] planned =
        Arrays.stream(graph.plan(outputs))
            .filter(i -> nodes.get(i).op() != GraphNode.Op.PLACEHOLDER)
            .toArray();
    int[] convolutionOf = new int[nodes.size()];
    Arrays.fill(convolutionOf, -1);
    if (options.foldBatchNorm()) {
      findFolds(nodes, known, planned, requested, convolutionOf);
    }
    BitSet skipped = new BitSet(nodes.size());
    for (int c : convolutionOf) {
      if (c >= 0) {
        skipped.set(c);
      }
    }
    int[] steps = Arrays.stream(planned).filter(i -> !skipped.get(i)).toArray();
    int[][] in = new int[steps.length][];
    int[] folded = new int[steps.length];
    for (int k = 0; k < steps.length; k++) {
      folded[k] = convolutionOf[steps[k]];
      int reads = folded[k] >= 0 ? folded[k] : steps[k];
      in[k] = nodes.get(reads).inputs().stream().mapToInt(Integer::intValue).toArray();
    }
    int[][] readers = readers(nodes.size(), in);
    int[] overwritten = new int[steps.length];
    Arrays.fill(overwritten, -1);
    if (options.inPlace()) {
      chooseInPlace(known, steps, in, readers, requested, overwritten);
    }
    int[][] freed = new int[steps.length][0];
    if (options.freeAfterLastUse()) {
      freed = frees(nodes.size(), known, steps, in, overwritten, requested);
    }
    return new InferencePlan(steps, folded, overwritten, freed, in);
  }

  /** Marks, for every batch norm that can absorb the convolution before it, that convolution. */
  private static void findFolds(
      List<GraphNode> nodes,
      List<NodeTraits> traits,
      int[] planned,
      BitSet requested,
      int[] convolutionOf) {
    int[] readCount = new int[nodes.size()];
    for (int s : planned) {
      for (int input : nodes.get(s).inputs()) {
        readCount[input]++;
      }
    }
    for (int s : planned) {
      List<Integer> in = nodes.get(s).inputs();
      if (traits.get(s).role() != NodeTraits.Role.BATCH_NORM || in.size() != 1) {
        continue;
      }
      int c = in.get(0);
      NodeTraits conv = traits.get(c);
      if (conv.role() == NodeTraits.Role.CONVOLUTION
          && conv.handle() == NodeTraits.Handle.OWNED
          && !requested.get(c)
          && readCount[c] == 1
          && nodes.get(c).inputs().size() == 1) {
        convolutionOf[s] = c;
      }
    }
  }

  /** For each node, the steps that read it, in order. */
  private static int[][] readers(int size, int[][] in) {
    List<List<Integer>> readers = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      readers.add(new ArrayList<>(2));
    }
    for (int k = 0; k < in.length; k++) {
      for (int input : in[k]) {
        readers.get(input).add(k);
      }
    }
    int[][] result = new int[size][];
    for (int i = 0; i < size; i++) {
      result[i] = readers.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    return result;
  }

  private static void chooseInPlace(
      List<NodeTraits> traits,
      int[] steps,
      int[][] in,
      int[][] readers,
      BitSet requested,
      int[] overwritten) {
    BitSet fresh = new BitSet(traits.size());
    for (int i = 0; i < traits.size(); i++) {
      fresh.set(
          i, traits.get(i).freshStorage() && traits.get(i).handle() == NodeTraits.Handle.OWNED);
    }
    for (int k = 0; k < steps.length; k++) {
      int node = steps[k];
      for (int x : traits.get(node).overwritable()) {
        boolean readHere = Arrays.stream(in[k]).anyMatch(i -> i == x);
        if (readHere
            && !requested.get(x)
            && fresh.get(x)
            && readers[x].length == 1
            && readers[x][0] == k) {
          overwritten[k] = x;
          // The result lives in x's storage, which nothing else holds: it may be overwritten too.
          fresh.set(node);
          break;
        }
      }
    }
  }

  /**
   * The values freed after each step. Values that may share a Java object (an alias and what it
   * reads, an in-place result and what it overwrote) form a group that lives until its last member
   * is read; then its owned members are freed.
   */
  private static int[][] frees(
      int size,
      List<NodeTraits> traits,
      int[] steps,
      int[][] in,
      int[] overwritten,
      BitSet requested) {
    int[] group = new int[size];
    for (int i = 0; i < size; i++) {
      group[i] = i;
    }
    for (int k = 0; k < steps.length; k++) {
      if (traits.get(steps[k]).handle() == NodeTraits.Handle.ALIAS) {
        for (int input : in[k]) {
          union(group, steps[k], input);
        }
      }
      if (overwritten[k] >= 0) {
        union(group, steps[k], overwritten[k]);
      }
    }
    int never = Integer.MAX_VALUE;
    int[] end = new int[size];
    Arrays.fill(end, -1);
    for (int k = 0; k < steps.length; k++) {
      int root = find(group, steps[k]);
      end[root] = Math.max(end[root], requested.get(steps[k]) ? never : k);
      for (int input : in[k]) {
        int r = find(group, input);
        end[r] = Math.max(end[r], requested.get(input) ? never : k);
      }
    }
    List<List<Integer>> freed = new ArrayList<>(steps.length);
    for (int k = 0; k < steps.length; k++) {
      freed.add(new ArrayList<>());
    }
    for (int k = 0; k < steps.length; k++) {
      int node = steps[k];
      int last = end[find(group, node)];
      if (traits.get(node).handle() == NodeTraits.Handle.OWNED && last != never && last >= 0) {
        freed.get(last).add(node);
      }
    }
    int[][] result = new int[steps.length][];
    for (int k = 0; k < steps.length; k++) {
      result[k] = freed.get(k).stream().mapToInt(Integer::intValue).toArray();
    }
    return result;
  }

  private static int find(int[] group, int i) {
    while (group[i] != i) {
      group[i] = group[group[i]];
      i = group[i];
    }
    return i;
  }

  private static void union(int[] group, int a, int b) {
    group[find(group, a)] = find(group, b);
  }

  /** The nodes computed, in order (inputs and folded convolutions excluded). */
  public int[] steps() {
    return steps.clone();
  }

  /** The number of steps. */
  public int size() {
    return steps.length;
  }

  /** The node computed at step {@code k}. */
  public int node(int k) {
    return steps[k];
  }

  /**
   * The convolution folded into the batch norm of step {@code k}, or -1: the step computes the
   * convolution with folded weights on the convolution's input.
   */
  public int foldedConvolution(int k) {
    return folded[k];
  }

  /** The input that step {@code k} overwrites in place, or -1. */
  public int overwritten(int k) {
    return overwritten[k];
  }

  /** The nodes whose values are freed right after step {@code k}. */
  public int[] freedAfter(int k) {
    return freed[k].clone();
  }

  /** The nodes step {@code k} reads, ascending: the node's inputs, or the folded convolution's. */
  public int[] inputs(int k) {
    return inputs[k].clone();
  }

  /** The folds in step order: for each, the convolution and the batch norm, node indices. */
  public List<int[]> folds() {
    List<int[]> folds = new ArrayList<>();
    for (int k = 0; k < steps.length; k++) {
      if (folded[k] >= 0) {
        folds.add(new int[] {folded[k], steps[k]});
      }
    }
    return folds;
  }

  /** Whether the plan is {@link Graph#plan}'s, with nothing folded, overwritten or freed early. */
  public boolean isPlain() {
    for (int k = 0; k < steps.length; k++) {
      if (folded[k] >= 0 || overwritten[k] >= 0 || freed[k].length > 0) {
        return false;
      }
    }
    return true;
  }
}
