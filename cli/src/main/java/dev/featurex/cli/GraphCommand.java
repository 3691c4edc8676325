package dev.featurex.cli;

import dev.featurex.cli.extract.Extraction;
import dev.featurex.cli.extract.ExtractionException;
import dev.featurex.graph.Graph;
import dev.featurex.runtime.ExtractorOptions;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.pytorch.Module;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code featurex graph MODEL}: the traced graph as DOT, or as SVG or PNG through Graphviz. */
@Command(
    name = "graph",
    mixinStandardHelpOptions = true,
    header = "Draws a model's traced graph (DOT, SVG, PNG).",
    description = {
      "Draws the traced graph of MODEL: DOT text, or SVG/PNG rendered by Graphviz's dot.",
      "The nodes of --nodes (names or prefixes, as extract takes them) are highlighted."
    })
final class GraphCommand implements Callable<Integer> {

  /** The output formats. */
  enum Format {
    dot,
    svg,
    png
  }

  @Spec private CommandSpec spec;

  @Mixin private ModelOptions model;

  @Option(
      names = "--format",
      defaultValue = "dot",
      description = "dot, svg or png (default: ${DEFAULT-VALUE}); svg and png need Graphviz.")
  private Format format;

  @Option(
      names = "--nodes",
      split = ",",
      paramLabel = "NODE[:KEY],...",
      hideParamSyntax = true,
      description = "Nodes to highlight, e.g. layer4,avgpool:embedding.")
  private List<String> nodes = List.of();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Where to write (default: standard output; required for png).")
  private Path output;

  @Option(
      names = "--graphviz",
      paramLabel = "DOT",
      defaultValue = "dot",
      description = "Graphviz's dot command (default: ${DEFAULT-VALUE} on the PATH).")
  private String graphviz;

  @Override
  public Integer call() {
    if (format == Format.png && output == null) {
      throw new CliException(
          ExitCodes.USAGE, "--format png writes binary data: give --output FILE");
    }
    if (output != null) {
      AtomicFile.checkWritable(output, "--output");
    }
    Module built = model.build();
    Graph graph = TracedGraphs.graph(built, model.training());
    String dot = DotGraph.of(model.model, graph, requested(built));
    byte[] bytes =
        format == Format.dot
            ? dot.getBytes(StandardCharsets.UTF_8)
            : Graphviz.render(graphviz, dot, format.name());
    if (output == null) {
      spec.commandLine().getOut().print(new String(bytes, StandardCharsets.UTF_8));
    } else {
      try {
        AtomicFiles.write(output, bytes);
      } catch (IOException e) {
        throw new CliException(
            ExitCodes.FAILED, "writing --output " + output + " failed: " + IoErrors.describe(e), e);
      }
      spec.commandLine().getErr().println("wrote " + output);
    }
    return ExitCodes.OK;
  }

  /** The node each request selects (torchvision's prefix rule), to its key. */
  private Map<String, String> requested(Module built) {
    if (nodes.isEmpty()) {
      return Map.of();
    }
    Map<String, String> nodeToKey;
    try {
      nodeToKey = Extraction.parseNodes(nodes);
      Extraction.checkNodes(model.model, model.nodeNames(built), nodeToKey);
    } catch (ExtractionException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    Map<String, String> keyToNode;
    try {
      keyToNode =
          FeatureExtraction.createFeatureExtractor(
                  built,
                  ExtractorOptions.builder()
                      .returnNodes(nodeToKey)
                      .suppressDiffWarning(true)
                      .build())
              .returnNodes(model.training());
    } catch (IllegalArgumentException e) {
      throw new CliException(
          ExitCodes.USAGE,
          e.getMessage() + " (featurex nodes " + model.model + " lists the node names)");
    }
    Map<String, String> selected = new LinkedHashMap<>();
    keyToNode.forEach((key, node) -> selected.put(node, key));
    return selected;
  }
}
