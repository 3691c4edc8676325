package dev.featurex.runtime;

import dev.featurex.graph.ModuleTypes;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.bytedeco.pytorch.Module;

/**
 * What {@link FeatureExtraction#createFeatureExtractor(Module, ExtractorOptions)} extracts, and how
 * the model is traced: torchvision's {@code return_nodes}, {@code train_return_nodes}, {@code
 * eval_return_nodes}, leaf modules and {@code suppress_diff_warning}. Immutable; made by {@link
 * #builder()}.
 *
 * <p>Return nodes map a node name (or a prefix, torchvision's rule: {@code "layer1"} is the last
 * node inside {@code layer1}) to the key its tensor is returned under; maps keep the given order.
 * Give either {@code returnNodes}, or both {@code trainReturnNodes} and {@code evalReturnNodes}:
 * {@code createFeatureExtractor} rejects any other combination with torchvision's errors. The
 * builder rejects at once what is never valid: null or empty collections, blank names or keys, a
 * node listed twice, a key given to two nodes.
 */
public final class ExtractorOptions {

  private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, String> returnNodes;
  private final Map<String, String> trainReturnNodes;
  private final Map<String, String> evalReturnNodes;
  private final Set<String> leafModules;
  private final boolean suppressDiffWarning;
  private final Set<Optimization> optimizations;
  private final String forward;
  private final Map<String, String> concreteArgs;

  private ExtractorOptions(Builder builder) {
    this.returnNodes = builder.returnNodes;
    this.trainReturnNodes = builder.trainReturnNodes;
    this.evalReturnNodes = builder.evalReturnNodes;
    this.leafModules = Collections.unmodifiableSet(new LinkedHashSet<>(builder.leafModules));
    this.suppressDiffWarning = builder.suppressDiffWarning;
    this.optimizations = builder.optimizations;
    this.forward = builder.forward;
    this.concreteArgs = Collections.unmodifiableMap(new LinkedHashMap<>(builder.concreteArgs));
  }

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /** Node (or prefix) to key, for both modes, in the given order; empty when not given. */
  public Map<String, String> returnNodes() {
    return returnNodes == null ? Map.of() : returnNodes;
  }

  /** Node (or prefix) to key in train mode, in the given order; empty when not given. */
  public Map<String, String> trainReturnNodes() {
    return trainReturnNodes == null ? Map.of() : trainReturnNodes;
  }

  /** Node (or prefix) to key in eval mode, in the given order; empty when not given. */
  public Map<String, String> evalReturnNodes() {
    return evalReturnNodes == null ? Map.of() : evalReturnNodes;
  }

  /**
   * C++ type names ({@code torch::nn::Conv2dImpl}) of extra leaf modules for trees traced at run
   * time; a traced Java model's leaves are fixed at compile time, so it rejects any.
   */
  public Set<String> leafModules() {
    return leafModules;
  }

  /** The traced method asked for, or null for any. */
  public String forward() {
    return forward;
  }

  /** The concrete arguments asked for, as text; empty for any. */
  public Map<String, String> concreteArgs() {
    return concreteArgs;
  }

  /** Whether the warning that the train and eval graphs differ is silenced. */
  public boolean suppressDiffWarning() {
    return suppressDiffWarning;
  }

  /**
   * The optimizations the extractor applies when it runs in eval mode with gradients off ({@link
   * Optimization}): the exact {@link Optimization#defaults()} unless the builder was given others.
   */
  public Set<Optimization> optimizations() {
    return optimizations;
  }

  /** Return nodes per mode, checked against torchvision's three rules. */
  record ModeReturnNodes(Map<String, String> train, Map<String, String> eval) {}

  /**
   * The return nodes of each mode.
   *
   * @throws IllegalArgumentException with torchvision's message, when neither {@code returnNodes}
   *     nor both mode-specific maps are given, when only one of those is, or when {@code
   *     returnNodes} is given with them
   */
  ModeReturnNodes modeReturnNodes() {
    if (returnNodes == null && trainReturnNodes == null && evalReturnNodes == null) {
      throw new IllegalArgumentException(
          "Either `returnNodes` or `trainReturnNodes` and `evalReturnNodes` together, should be"
              + " specified");
    }
    if ((trainReturnNodes == null) != (evalReturnNodes == null)) {
      throw new IllegalArgumentException(
          "If any of `trainReturnNodes` and `evalReturnNodes` are specified, then both should be"
              + " specified");
    }
    if ((returnNodes == null) == (trainReturnNodes == null)) {
      // torchvision's wording for returnNodes given together with the mode-specific maps.
      throw new IllegalArgumentException(
          "If `trainReturnNodes` and `evalReturnNodes` are specified, then both should be"
              + " specified");
    }
    return returnNodes != null
        ? new ModeReturnNodes(returnNodes, returnNodes)
        : new ModeReturnNodes(trainReturnNodes, evalReturnNodes);
  }

  /** Builds {@link ExtractorOptions}; each setter replaces what it sets. Not thread-safe. */
  public static final class Builder {

    private Map<String, String> returnNodes;
    private Map<String, String> trainReturnNodes;
    private Map<String, String> evalReturnNodes;
    private final Set<String> leafModules = new LinkedHashSet<>();
    private boolean suppressDiffWarning;
    private Set<Optimization> optimizations = Optimization.defaults();
    private String forward;
    private final Map<String, String> concreteArgs = new LinkedHashMap<>();

    private Builder() {}

    /** Return nodes for both modes: node (or prefix) to key, in the map's iteration order. */
    public Builder returnNodes(Map<String, String> nodeToKey) {
      this.returnNodes = checked("returnNodes", nodeToKey);
      return this;
    }

    /** Return nodes for both modes, each returned under its own name as key. */
    public Builder returnNodes(List<String> nodes) {
      this.returnNodes = checked("returnNodes", nodes);
      return this;
    }

    /** Return nodes in train mode: node (or prefix) to key, in the map's iteration order. */
    public Builder trainReturnNodes(Map<String, String> nodeToKey) {
      this.trainReturnNodes = checked("trainReturnNodes", nodeToKey);
      return this;
    }

    /** Return nodes in train mode, each returned under its own name as key. */
    public Builder trainReturnNodes(List<String> nodes) {
      this.trainReturnNodes = checked("trainReturnNodes", nodes);
      return this;
    }

    /** Return nodes in eval mode: node (or prefix) to key, in the map's iteration order. */
    public Builder evalReturnNodes(Map<String, String> nodeToKey) {
      this.evalReturnNodes = checked("evalReturnNodes", nodeToKey);
      return this;
    }

    /** Return nodes in eval mode, each returned under its own name as key. */
    public Builder evalReturnNodes(List<String> nodes) {
      this.evalReturnNodes = checked("evalReturnNodes", nodes);
      return this;
    }

    /**
     * Adds leaf module types by C++ name: {@code torch::nn::Conv2dImpl}, or the short forms {@code
     * torch::nn::Conv2d}, {@code Conv2dImpl} and {@code Conv2d}, which mean the same.
     */
    public Builder leafModules(String... cppTypeNames) {
      Objects.requireNonNull(cppTypeNames, "leafModules must not be null");
      for (String name : cppTypeNames) {
        leafModules.add(normalizeTypeName(name));
      }
      return this;
    }

    /**
     * Adds leaf module types by class: built-in {@code org.bytedeco.pytorch} modules only ({@code
     * Conv2dImpl.class}, or {@code SequentialImpl.class} to keep nested sequences whole). A Java
     * module class's leaf status is decided at compile time ({@code @LeafModule}), so it is
     * rejected.
     */
    @SafeVarargs
    public final Builder leafModuleClasses(Class<? extends Module>... types) {
      Objects.requireNonNull(types, "leafModuleClasses must not be null");
      for (Class<? extends Module> type : types) {
        Objects.requireNonNull(type, "leafModuleClasses must not contain null");
        if (!type.getPackageName().equals("org.bytedeco.pytorch")
            || !type.getSimpleName().endsWith("Impl")) {
          throw new IllegalArgumentException(
              type.getName()
                  + " is not a built-in libtorch module: a Java module's leaf status is fixed at"
                  + " compile time; annotate it with @dev.featurex.annotations.LeafModule or list"
                  + " it in @Traceable(leafModules = ...)");
        }
        leafModules.add(ModuleTypes.nativeName(type.getSimpleName()));
      }
      return this;
    }

    /**
     * The traced method to extract from, torch.fx's traced method: a model traced with
     * {@code @Traceable(forward = "...")}. By default, any traced method of the instance's
     * configuration (an error names them when there are several).
     */
    public Builder forward(String method) {
      Objects.requireNonNull(method, "forward must not be null");
      if (method.isBlank()) {
        throw new IllegalArgumentException("forward must name a method");
      }
      this.forward = method;
      return this;
    }

    /**
     * A value the traced method's parameter {@code name} was fixed to when traced, torchvision's
     * {@code concrete_args}: selects the configuration traced with {@code @Traceable(concreteArgs =
     * "name=value")}. Values compare as text ({@code true}, {@code 0.5}, an enum constant's name).
     */
    public Builder concreteArg(String name, Object value) {
      Objects.requireNonNull(name, "concreteArg name must not be null");
      Objects.requireNonNull(value, "concreteArg value must not be null");
      concreteArgs.put(name, value instanceof Enum<?> e ? e.name() : String.valueOf(value));
      return this;
    }

    /** Silences the warning that the train and eval graphs differ (default: warn). */
    public Builder suppressDiffWarning(boolean suppress) {
      this.suppressDiffWarning = suppress;
      return this;
    }

    /**
     * The optimizations to apply in eval mode with gradients off (default {@link
     * Optimization#defaults()}, the exact ones; {@link Optimization#all()} also folds batch norms);
     * {@link Optimization#none()} computes exactly what {@code forward} does.
     */
    public Builder optimizations(Set<Optimization> optimizations) {
      Objects.requireNonNull(optimizations, "optimizations must not be null (Optimization.none())");
      EnumSet<Optimization> copy = EnumSet.noneOf(Optimization.class);
      for (Optimization o : optimizations) {
        copy.add(Objects.requireNonNull(o, "optimizations must not contain null"));
      }
      this.optimizations = Collections.unmodifiableSet(copy);
      return this;
    }

    /** The options. */
    public ExtractorOptions build() {
      return new ExtractorOptions(this);
    }

    private static String normalizeTypeName(String name) {
      Objects.requireNonNull(name, "leafModules must not contain null");
      String simple =
          name.startsWith(ModuleTypes.NATIVE_PREFIX)
              ? name.substring(ModuleTypes.NATIVE_PREFIX.length())
              : name;
      if (!TYPE_NAME.matcher(simple).matches()) {
        throw new IllegalArgumentException(
            "leafModules: \""
                + name
                + "\" is not a libtorch module type such as"
                + " \"torch::nn::Conv2dImpl\"");
      }
      return ModuleTypes.nativeName(simple.endsWith("Impl") ? simple : simple + "Impl");
    }

    private static Map<String, String> checked(String what, Map<String, String> nodeToKey) {
      Objects.requireNonNull(nodeToKey, what + " must not be null");
      if (nodeToKey.isEmpty()) {
        throw new IllegalArgumentException(
            what
                + " is empty: name at least one node (FeatureExtraction.getGraphNodeNames lists them)");
      }
      Map<String, String> copy = new LinkedHashMap<>();
      Map<String, String> nodeByKey = new LinkedHashMap<>();
      for (Map.Entry<String, String> entry : nodeToKey.entrySet()) {
        String node = entry.getKey();
        String key = entry.getValue();
        if (node == null || node.isBlank()) {
          throw new IllegalArgumentException(what + " contains a null or blank node name");
        }
        if (key == null || key.isBlank()) {
          throw new IllegalArgumentException(
              what + " gives node \"" + node + "\" a null or blank key");
        }
        String other = nodeByKey.putIfAbsent(key, node);
        if (other != null) {
          throw new IllegalArgumentException(
              what
                  + " gives the key \""
                  + key
                  + "\" to both \""
                  + other
                  + "\" and \""
                  + node
                  + "\"; keys must be unique");
        }
        copy.put(node, key);
      }
      return Collections.unmodifiableMap(copy);
    }

    private static Map<String, String> checked(String what, List<String> nodes) {
      Objects.requireNonNull(nodes, what + " must not be null");
      Map<String, String> nodeToKey = new LinkedHashMap<>();
      for (String node : nodes) {
        if (node == null) {
          throw new IllegalArgumentException(what + " contains a null or blank node name");
        }
        if (nodeToKey.put(node, node) != null) {
          throw new IllegalArgumentException(what + " lists \"" + node + "\" twice");
        }
      }
      return checked(what, nodeToKey);
    }
  }
}
