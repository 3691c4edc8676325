package dev.featurex.runtime.internal;

import dev.featurex.graph.Graph;
import dev.featurex.graph.ModuleTreeSignature;
import dev.featurex.graph.Records;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.bytedeco.pytorch.Module;

/**
 * A traced configuration as generated code declares it: the factory, the module tree and the two
 * graphs in their text form ({@link dev.featurex.graph.Records}), decoded on first use, and the
 * programs that compute the graphs' nodes. When train and eval are the same graph, generated code
 * passes it (and its program) once.
 */
public final class GeneratedConfiguration implements TracedConfiguration {

  private final String factory;
  private final String method;
  private final Map<String, String> concreteArgs;
  private final String[] guards;
  private final String[] moduleTree;
  private final String[] trainGraph;
  private final String[] evalGraph;
  private final Function<Module, GraphProgram> trainProgram;
  private final Function<Module, GraphProgram> evalProgram;
  private volatile List<String> tree;
  private volatile Graph train;
  private volatile Graph eval;

  /**
   * A configuration.
   *
   * @param factory what was traced ({@code resnet18()})
   * @param method the traced method's name ({@code forward})
   * @param concreteArgs the values its non-tensor parameters were fixed to, as records of name and
   *     value
   * @param guards the known values forward read, as records of kind, value and the steps to the
   *     field ({@link dev.featurex.graph.Records})
   * @param moduleTree the module tree's text ({@link ModuleTreeSignature#encode})
   * @param trainGraph the train graph's text ({@link Graph#encode})
   * @param evalGraph the eval graph's text, or null when it is the train graph
   * @param trainProgram binds the train graph's program to a model
   * @param evalProgram binds the eval graph's program to a model, or null when it is the train one
   */
  public GeneratedConfiguration(
      String factory,
      String method,
      String[] concreteArgs,
      String[] guards,
      String[] moduleTree,
      String[] trainGraph,
      String[] evalGraph,
      Function<Module, GraphProgram> trainProgram,
      Function<Module, GraphProgram> evalProgram) {
    this.factory = Objects.requireNonNull(factory);
    this.method = Objects.requireNonNull(method);
    Map<String, String> args = new LinkedHashMap<>();
    for (List<String> arg : Records.decode(concreteArgs)) {
      args.put(arg.get(0), arg.get(1));
    }
    this.concreteArgs = Collections.unmodifiableMap(args);
    this.guards = guards.clone();
    this.moduleTree = moduleTree.clone();
    this.trainGraph = trainGraph.clone();
    this.evalGraph = evalGraph == null ? null : evalGraph.clone();
    this.trainProgram = Objects.requireNonNull(trainProgram);
    this.evalProgram = evalProgram == null ? trainProgram : evalProgram;
  }

  @Override
  public String factory() {
    return factory;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public Map<String, String> concreteArgs() {
    return concreteArgs;
  }

  @Override
  public List<String> moduleTree() {
    List<String> t = tree;
    if (t == null) {
      t = ModuleTreeSignature.decode(moduleTree);
      tree = t;
    }
    return t;
  }

  @Override
  public Graph graph(boolean training) {
    if (training || evalGraph == null) {
      Graph g = train;
      if (g == null) {
        g = Graph.decode(trainGraph);
        train = g;
      }
      return g;
    }
    Graph g = eval;
    if (g == null) {
      g = Graph.decode(evalGraph);
      eval = g;
    }
    return g;
  }

  @Override
  public GraphProgram bind(Module model, boolean training) {
    return (training ? trainProgram : evalProgram).apply(model);
  }

  @Override
  public String mismatch(Module model) {
    for (List<String> guard : Records.decode(guards)) {
      String kind = guard.get(0);
      String expected = guard.get(1);
      String[] steps = guard.subList(2, guard.size()).toArray(String[]::new);
      String path = "model" + String.join("", steps);
      Object actual;
      try {
        actual = ModuleAccess.read(model, steps);
      } catch (IllegalArgumentException e) {
        return path + " cannot be read (" + e.getMessage() + ")";
      }
      String found =
          actual == null ? "" : actual instanceof Enum<?> c ? c.name() : String.valueOf(actual);
      boolean same =
          kind.equals("null") ? actual == null : actual != null && found.equals(expected);
      if (!same) {
        return path
            + " is "
            + (actual == null ? "null" : found)
            + ", where "
            + factory
            + " was traced with "
            + (kind.equals("null") ? "null" : expected);
      }
    }
    return null;
  }
}
