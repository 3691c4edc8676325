package dev.featurex.cli;

import dev.featurex.graph.Graph;
import dev.featurex.graph.GraphNode;
import dev.featurex.runtime.internal.GraphProgram;
import dev.featurex.runtime.internal.TracedConfiguration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Runs every node of a model's graph once on a random input and records what each computes:
 * torch.fx's {@code ShapeProp}, and timm's {@code feature_info} (channels and reduction) for every
 * node, not only the stage ends.
 */
final class ShapeProbe {

  /**
   * What one node computed.
   *
   * @param node the node's name
   * @param value its shape ({@code 1x64x56x56}) for a tensor, else the value's type and value
   * @param stride the input's height over the feature map's, when the node's value is a 4-d map
   *     whose two spatial sides divide the input's alike (NCHW, else NHWC); 0 otherwise
   */
  record NodeShape(String node, String value, long stride) {}

  private ShapeProbe() {}

  /**
   * Runs {@code model}'s {@code training} graph on {@code randn(inputShape)}, without gradients,
   * freeing every tensor before it returns.
   *
   * @throws IllegalArgumentException when the graph does not take exactly one tensor, the input is
   *     too large to allocate, or a node fails on it (naming the node, with the first line of
   *     libtorch's message)
   */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  static List<NodeShape> probe(Module model, boolean training, long[] inputShape) {
    TracedConfiguration configuration = TracedGraphs.configuration(model);
    Graph graph = configuration.graph(training);
    if (graph.inputCount() != 1) {
      throw new IllegalArgumentException(
          "--shapes gives one input, and this model's forward takes " + graph.inputCount());
    }
    model.train(training);
    GraphProgram program = configuration.bind(model, training);
    List<GraphNode> nodes = graph.nodes();
    List<NodeShape> shapes = new ArrayList<>(nodes.size());
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      Object[] values = new Object[nodes.size()];
      for (int i = 0; i < nodes.size(); i++) {
        GraphNode node = nodes.get(i);
        if (node.op() == GraphNode.Op.PLACEHOLDER) {
          values[i] = input(inputShape);
        } else {
          Object[] arguments = node.inputs().stream().map(k -> values[k]).toArray();
          try {
            values[i] = program.compute(i, arguments);
          } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                "node \""
                    + node.name()
                    + "\" fails on a "
                    + shape(inputShape)
                    + " input: "
                    + firstLine(e)
                    + "; give --shapes that the model takes (1x3x224x224)",
                e);
          }
        }
        shapes.add(describe(node.name(), values[i], inputShape));
      }
    }
    return shapes;
  }

  /**
   * {@code randn(shape)}, refused up front when its floats outnumber the machine's memory (the
   * nodes' outputs need more still), or when libtorch cannot allocate it.
   */
  private static Tensor input(long[] shape) {
    long floats = 1;
    for (long size : shape) {
      floats = size > Long.MAX_VALUE / Float.BYTES / floats ? Long.MAX_VALUE : floats * size;
    }
    long memory = physicalMemory();
    if (floats == Long.MAX_VALUE || (memory > 0 && floats > memory / Float.BYTES)) {
      throw new IllegalArgumentException(
          "a "
              + shape(shape)
              + " input is too large to allocate ("
              + (floats == Long.MAX_VALUE
                  ? "more than 2^63 bytes"
                  : gigabytes(floats * Float.BYTES))
              + (memory > 0 ? "; this machine has " + gigabytes(memory) : "")
              + "); give smaller --shapes, e.g. 1x3x224x224");
    }
    try {
      return torch.randn(shape);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "a " + shape(shape) + " input is too large to allocate: " + firstLine(e), e);
    }
  }

  private static String gigabytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f GB", bytes / 1e9);
  }

  /** The machine's physical memory in bytes, or 0 where the JVM does not tell. */
  private static long physicalMemory() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return 0;
  }

  /**
   * The first line of libtorch's message, without the C++ frames that follow it ({@code Exception
   * raised from ...}, {@code frame #0: ...}).
   */
  static String firstLine(RuntimeException e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return "libtorch failed without a message";
    }
    return message.strip().lines().findFirst().orElse(message).strip();
  }

  private static NodeShape describe(String name, Object value, long[] input) {
    if (value instanceof Tensor tensor) {
      long[] sizes = tensor.sizes().vec().get();
      return new NodeShape(name, shape(sizes), stride(sizes, input));
    }
    if (value instanceof Long || value instanceof Integer) {
      return new NodeShape(name, "int " + value, 0);
    }
    if (value instanceof Double || value instanceof Float) {
      return new NodeShape(name, "float " + value, 0);
    }
    if (value instanceof Boolean) {
      return new NodeShape(name, "bool " + value, 0);
    }
    if (value instanceof long[] longs) {
      return new NodeShape(name, "int[] " + Arrays.toString(longs), 0);
    }
    return new NodeShape(name, value.getClass().getSimpleName(), 0);
  }

  /** The stride of a 4-d map against a 4-d NCHW input; 0 when it cannot be told. */
  static long stride(long[] sizes, long[] input) {
    if (sizes.length != 4 || input.length != 4) {
      return 0;
    }
    long nchw = ratio(input[2], input[3], sizes[2], sizes[3]);
    return nchw != 0 ? nchw : ratio(input[2], input[3], sizes[1], sizes[2]);
  }

  private static long ratio(long inH, long inW, long h, long w) {
    if (h <= 0 || w <= 0 || inH % h != 0 || inW % w != 0 || inH / h != inW / w) {
      return 0;
    }
    return inH / h;
  }

  /** {@code 1x3x224x224}. */
  static String shape(long[] sizes) {
    StringBuilder text = new StringBuilder();
    for (long size : sizes) {
      text.append(text.length() == 0 ? "" : "x").append(size);
    }
    return text.length() == 0 ? "scalar" : text.toString();
  }
}
