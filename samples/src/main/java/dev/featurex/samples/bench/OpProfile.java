package dev.featurex.samples.bench;

import dev.featurex.graph.Graph;
import dev.featurex.graph.GraphNode;
import dev.featurex.graph.ReturnNodes.Selection;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.Optimization;
import dev.featurex.runtime.Threads;
import dev.featurex.runtime.execute.GraphExecutor;
import dev.featurex.runtime.execute.TracedModels;
import dev.featurex.runtime.internal.GraphProgram;
import dev.featurex.runtime.internal.InferenceState;
import dev.featurex.runtime.internal.Optimizations;
import dev.featurex.runtime.internal.TracedConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringSharedModuleDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Where the time of one extraction goes, per op type: runs the eval plan of a model's extractor for
 * {@link BenchModels#STAGES} node by node, as the executor does (same program, same plan, same
 * folds), timing each step and each free, and sums the steps of one call by op type ({@code
 * Conv2d}, {@code BatchNorm2d}, {@code add}, {@code Conv2d+BatchNorm2d} for a folded pair, {@code
 * ReLU (in place)}...). The Python side, {@code samples/parity/torchvision_profile.py}, times
 * torchvision's nodes the same way; {@code samples/bench/profile.sh} runs both.
 *
 * <p>Usage: {@code OpProfile MODEL BATCH THREADS REPS PLAN OUT} with PLAN {@code none} (the
 * unoptimized plan, as {@code forward} computes), {@code defaults} or {@code all}; appends {@code
 * side,model,batch,threads,plan,rep,op,calls,milliseconds} lines to OUT (one per op type and call).
 */
public final class OpProfile {

  private static final int WARM_UP = 3;

  private OpProfile() {}

  /** Runs the profile; see the class comment. */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  public static void main(String[] args) throws IOException {
    dev.featurex.runtime.Natives.extract(); // before libtorch loads (see Natives)
    if (args.length != 6) {
      System.err.println("usage: OpProfile MODEL BATCH THREADS REPS none|defaults|all OUT.csv");
      System.exit(2);
    }
    String name = args[0];
    int batch = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    int reps = Integer.parseInt(args[3]);
    String planName = args[4];
    Set<Optimization> optimizations =
        switch (planName) {
          case "none" -> Optimization.none();
          case "defaults" -> Optimization.defaults();
          case "all" -> Optimization.all();
          default -> throw new IllegalArgumentException("plan none, defaults or all: " + planName);
        };
    Threads.set(threads); // libtorch and OpenBLAS (see Threads)
    torch.manual_seed(0);
    Module model = BenchModels.create(name).module();
    model.eval();
    Tensor x = torch.randn(batch, 3, 224, 224);
    Profiled profiled = new Profiled(model, optimizations);
    List<String> lines = new ArrayList<>();
    try (NoGradGuard noGrad = new NoGradGuard()) {
      for (int r = -WARM_UP; r < reps; r++) {
        Map<String, double[]> ops = profiled.run(x);
        if (r < 0) {
          continue;
        }
        for (Map.Entry<String, double[]> op : ops.entrySet()) {
          lines.add(
              String.format(
                  Locale.ROOT,
                  "featurex,%s,%d,%d,%s,%d,%s,%d,%.4f",
                  name,
                  batch,
                  threads,
                  planName,
                  r,
                  op.getKey(),
                  (int) op.getValue()[0],
                  op.getValue()[1]));
        }
      }
    }
    Files.write(
        Path.of(args[5]),
        lines,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** One model's extractor: executor, program and inference state, with a label per node. */
  private static final class Profiled {
    private final GraphExecutor executor;
    private final GraphProgram program;
    private final InferenceState state;
    private final String[] labels;

    Profiled(Module model, Set<Optimization> optimizations) {
      TracedConfiguration configuration =
          TracedModels.configurationFor(TracedModels.find(model.getClass()).orElseThrow(), model);
      Graph graph = configuration.graph(false);
      program = configuration.bind(model, false);
      Map<String, String> returned =
          FeatureExtraction.createFeatureExtractor(model, BenchModels.STAGES).returnNodes(false);
      List<Selection> selections = new ArrayList<>();
      for (Map.Entry<String, String> e : returned.entrySet()) {
        selections.add(new Selection(e.getKey(), e.getKey(), graph.names().indexOf(e.getValue())));
      }
      executor =
          new GraphExecutor(graph, selections, program.traits(), Optimizations.of(optimizations));
      state = executor.bind(program);
      StringSharedModuleDict modules = model.named_modules();
      labels = new String[graph.nodes().size()];
      for (int i = 0; i < labels.length; i++) {
        GraphNode node = graph.nodes().get(i);
        labels[i] =
            node.op() == GraphNode.Op.CALL_MODULE
                ? type(modules.get(node.target()))
                : node.target();
      }
    }

    private static String type(Module module) {
      String cpp = module.name().getString();
      String simple = cpp.substring(cpp.lastIndexOf(':') + 1);
      return simple.endsWith("Impl") ? simple.substring(0, simple.length() - 4) : simple;
    }

    /** One call, in its own scope: per op type, {calls, milliseconds}. */
    @SuppressWarnings("try") // a PointerScope works by being open, never named
    Map<String, double[]> run(Tensor x) {
      Map<String, double[]> ops = new LinkedHashMap<>();
      try (PointerScope scope = new PointerScope()) {
        executor.execute(
            program,
            state,
            (node, kind, compute, free) -> {
              String label =
                  switch (kind) {
                    case FOLDED -> "Conv2d+" + labels[node];
                    case IN_PLACE -> labels[node] + " (in place)";
                    case MAX_POOL -> labels[node] + " (layout chosen)";
                    case CONVOLUTION -> labels[node] + " (kernel chosen)";
                    case COMPUTE -> labels[node];
                  };
              add(ops, label, compute / 1e6);
              if (free > 0) {
                add(ops, "(free)", free / 1e6);
              }
            },
            x);
      }
      return ops;
    }

    private static void add(Map<String, double[]> ops, String op, double ms) {
      double[] sum = ops.computeIfAbsent(op, k -> new double[2]);
      sum[0]++;
      sum[1] += ms;
    }
  }
}
