package dev.featurex.runtime.internal;

import dev.featurex.graph.NodeTraits;
import dev.featurex.graph.Records;
import java.util.List;
import org.bytedeco.pytorch.Module;

/**
 * One traced graph as a generated program runs it, given as data: for each node, which <em>call
 * shape</em> computes it (the generated program has one {@code case} per distinct shape, shared by
 * every graph of the model, so ResNet-152's 500 nodes take as many cases as ResNet-18's 70), which
 * in-place shape, and which bound objects the shape reads (its <em>operands</em>: slots of the
 * array {@link #bind} makes); the bindings themselves, as records ({@link Bindings#resolve}); and
 * the nodes' {@link NodeTraits}. The text is decoded on first use, once per table.
 *
 * <p>Generated code keeps one table per graph in a constant, and the program reads it as {@code
 * switch (table.shape(node))} with {@code table.operands(node)} for the slots. Keeping the per-node
 * facts as data rather than as statements is what keeps the processor's generated code, and so the
 * compile time of a model zoo, small.
 */
public final class ProgramTable {

  private static final int[] NO_OPERANDS = {};

  private final String[] nodes;
  private final String[] bindings;
  private final String[] traits;
  private volatile Decoded decoded;

  private record Decoded(
      int[] shapes,
      int[] inPlaceShapes,
      int[] moduleSlots,
      int[][] operands,
      List<List<String>> bindings,
      List<NodeTraits> traits) {}

  /**
   * A table.
   *
   * @param nodes one record per node ({@link Records}): shape, in-place shape, module slot and
   *     operand slots (comma-separated), each field empty when there is none
   * @param bindings one record per slot, as {@link Bindings#resolve} reads it
   * @param traits the nodes' traits ({@link NodeTraits#encode})
   */
  public ProgramTable(String[] nodes, String[] bindings, String[] traits) {
    this.nodes = nodes.clone();
    this.bindings = bindings.clone();
    this.traits = traits.clone();
  }

  private Decoded decoded() {
    Decoded d = decoded;
    if (d == null) {
      d = decode();
      decoded = d;
    }
    return d;
  }

  private Decoded decode() {
    List<List<String>> records = Records.decode(nodes);
    int n = records.size();
    int[] shapes = new int[n];
    int[] inPlace = new int[n];
    int[] modules = new int[n];
    int[][] operands = new int[n][];
    for (int i = 0; i < n; i++) {
      List<String> record = records.get(i);
      if (record.size() != 4) {
        throw new IllegalArgumentException("not a program table record: " + record);
      }
      shapes[i] = number(record.get(0));
      inPlace[i] = number(record.get(1));
      modules[i] = number(record.get(2));
      operands[i] = numbers(record.get(3));
    }
    List<NodeTraits> t = NodeTraits.decode(traits);
    if (t.size() != n) {
      throw new IllegalArgumentException(
          "a program table of " + n + " nodes has traits for " + t.size());
    }
    return new Decoded(shapes, inPlace, modules, operands, Records.decode(bindings), t);
  }

  private static int number(String field) {
    return field.isEmpty() ? -1 : Integer.parseInt(field);
  }

  private static int[] numbers(String field) {
    if (field.isEmpty()) {
      return NO_OPERANDS;
    }
    String[] parts = field.split(",");
    int[] values = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = Integer.parseInt(parts[i]);
    }
    return values;
  }

  /** The call shape that computes {@code node}, or -1 for an input. */
  public int shape(int node) {
    return decoded().shapes[node];
  }

  /** The in-place shape of {@code node}, or -1 when it has no in-place variant. */
  public int inPlaceShape(int node) {
    return decoded().inPlaceShapes[node];
  }

  /** The slots of the bound objects {@code node}'s shape reads, in the shape's order. */
  public int[] operands(int node) {
    return decoded().operands[node];
  }

  /**
   * Which of {@code node}'s overwritable inputs ({@link NodeTraits#overwritable()}) is the node
   * {@code overwritten}, or -1.
   */
  public int overwrittenIndex(int node, int overwritten) {
    return decoded().traits.get(node).overwritable().indexOf(overwritten);
  }

  /** The nodes' traits. */
  public List<NodeTraits> traits() {
    return decoded().traits;
  }

  /**
   * The bound leaf module {@code node} calls, when it takes part in a fold or a layout choice, else
   * null ({@link GraphProgram#module}).
   */
  public Module module(int node, Object[] bound) {
    int slot = decoded().moduleSlots[node];
    return slot < 0 ? null : (Module) bound[slot];
  }

  /**
   * Binds the table's slots on {@code model}, in order: what the program's operands index.
   *
   * @throws IllegalArgumentException naming a module, parameter or buffer the model lacks
   */
  public Object[] bind(Module model) {
    List<List<String>> records = decoded().bindings;
    Bindings on = Bindings.of(model);
    Object[] bound = new Object[records.size()];
    for (int i = 0; i < bound.length; i++) {
      bound[i] = on.resolve(records.get(i));
    }
    return bound;
  }
}
