package dev.featurex.runtime;

import dev.featurex.runtime.execute.GraphExecutor;
import dev.featurex.runtime.execute.NodeExecutionException;
import dev.featurex.runtime.internal.GraphProgram;
import dev.featurex.runtime.internal.InferenceState;
import dev.featurex.runtime.internal.ModuleSharing;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * A module that returns chosen intermediate tensors of a model: what torchvision's {@code
 * create_feature_extractor} returns. Made by {@link FeatureExtraction#createFeatureExtractor}.
 *
 * <ul>
 *   <li>It shares the model's modules and parameters, never copies them: the model's top-level
 *       children (and its own parameters and buffers) are registered on the extractor, so {@code
 *       parameters()} are the model's tensors and {@code train()}/{@code eval()} reach the model's
 *       modules.
 *   <li>It starts in the model's mode, and {@link #forward} runs the train graph when {@code
 *       is_training()}, the eval graph otherwise, each pruned to what its return nodes need.
 *   <li>Intermediate tensors are freed before {@code forward} returns (see {@link GraphExecutor});
 *       the returned ones belong to the caller's {@link PointerScope} if one is open.
 *   <li>In eval mode with gradients off it applies the {@link Optimization}s it was made with
 *       ({@link ExtractorOptions#optimizations()}; {@link Optimization#defaults()} unless set:
 *       in-place activations and adds, each intermediate freed after its last use, max pooling in
 *       the faster layout; batch-norm folding and oneDNN's convolution kernel only when asked for).
 *   <li>Thread-safe: {@code forward} reads only immutable state, so one extractor may serve many
 *       threads at once (switching modes while another thread runs {@code forward} is not
 *       synchronized, as in libtorch).
 * </ul>
 */
public final class FeatureExtractor extends Module {

  /** One mode's executor, bound program and inference state. */
  record Mode(GraphExecutor executor, GraphProgram program, InferenceState state) {}

  private final Module model;
  private final Mode train;
  private final Mode eval;

  FeatureExtractor(Module model, Mode train, Mode eval) {
    this.model = model;
    this.train = train;
    this.eval = eval;
    ModuleSharing.share(this, model);
  }

  /**
   * The requested tensors of the current mode's graph, keyed as requested, in execution order.
   *
   * @param inputs one tensor per input of the model's {@code forward}, in order; never freed here
   * @throws IllegalArgumentException when the number of inputs is wrong or one is null
   * @throws NodeExecutionException naming the node, when a node fails
   */
  public Map<String, Tensor> forward(Tensor... inputs) {
    Mode mode = is_training() ? train : eval;
    return mode.executor().run(mode.program(), mode.state(), inputs);
  }

  /** The model this extractor reads from. */
  public Module model() {
    return model;
  }

  /**
   * The node that answers each key in the given mode, in execution order: {@code "layer1"} shows as
   * the node it selected ({@code layer1.1.relu_1}).
   */
  public Map<String, String> returnNodes(boolean training) {
    GraphExecutor executor = (training ? train : eval).executor();
    int[] outputs = executor.outputs();
    Map<String, String> nodes = new LinkedHashMap<>();
    for (int i = 0; i < outputs.length; i++) {
      nodes.put(executor.keys().get(i), executor.graph().nodes().get(outputs[i]).name());
    }
    return Collections.unmodifiableMap(nodes);
  }

  /**
   * The nodes {@link #forward} computes in the given mode, in execution order (inputs excluded):
   * the graph pruned to what the return nodes need.
   */
  public List<String> computedNodes(boolean training) {
    GraphExecutor executor = (training ? train : eval).executor();
    List<String> names = new ArrayList<>();
    for (int step : executor.steps()) {
      names.add(executor.graph().nodes().get(step).name());
    }
    return Collections.unmodifiableList(names);
  }
}
