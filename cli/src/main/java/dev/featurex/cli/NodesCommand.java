package dev.featurex.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.bytedeco.pytorch.Module;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code featurex nodes MODEL}: torchvision's {@code get_graph_node_names}, and with {@code
 * --shapes} each node's output shape and stride.
 */
@Command(
    name = "nodes",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the graph node names of MODEL in execution order (torchvision's",
      "get_graph_node_names): what --nodes of extract and graph accept, as a name or a",
      "prefix (layer4 is the last node inside layer4).",
      "With --shapes, runs the model once on a random input of that shape and adds each",
      "node's output shape and its stride relative to the input (timm's feature_info, for",
      "every node)."
    })
final class NodesCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private ModelOptions model;

  @Option(
      names = "--shapes",
      paramLabel = "NxCxHxW",
      description = "Run the model on a random input of this shape, e.g. 1x3x224x224.")
  private String shapes;

  @Override
  public Integer call() {
    long[] input = shapes == null ? null : parseShape(shapes);
    Module built = model.build();
    PrintWriter out = spec.commandLine().getOut();
    if (input == null) {
      model.nodeNames(built).forEach(out::println);
      return ExitCodes.OK;
    }
    List<ShapeProbe.NodeShape> probed;
    try {
      probed = ShapeProbe.probe(built, model.training(), input);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    int width = 4;
    for (ShapeProbe.NodeShape node : probed) {
      width = Math.max(width, node.node().length());
    }
    String format = "%-" + width + "s  %-20s %s%n";
    out.printf(format, "NODE", "SHAPE", "STRIDE");
    for (ShapeProbe.NodeShape node : probed) {
      out.printf(format, node.node(), node.value(), node.stride() == 0 ? "-" : "" + node.stride());
    }
    return ExitCodes.OK;
  }

  /** {@code 1x3x224x224} as sizes; a usage error naming the value when it is not. */
  static long[] parseShape(String text) {
    String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("x", -1);
    long[] sizes = new long[parts.length];
    try {
      for (int i = 0; i < parts.length; i++) {
        sizes[i] = Long.parseLong(parts[i].trim());
        if (sizes[i] < 1) {
          throw new NumberFormatException();
        }
      }
    } catch (NumberFormatException e) {
      throw new CliException(
          ExitCodes.USAGE,
          "--shapes \"" + text + "\" is not a shape; write sizes joined by x, e.g. 1x3x224x224");
    }
    if (sizes.length != 4) {
      throw new CliException(
          ExitCodes.USAGE,
          "--shapes \""
              + text
              + "\" has "
              + sizes.length
              + " sizes; the zoo's models take images, N x C x H x W, e.g. 1x3x224x224");
    }
    return sizes;
  }
}
