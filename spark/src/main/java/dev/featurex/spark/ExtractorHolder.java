package dev.featurex.spark;

import dev.featurex.graph.ReturnNodes;
import dev.featurex.runtime.ExtractorOptions;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.runtime.Natives;
import dev.featurex.runtime.StateDict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.global.torch;

/**
 * One model per JVM: the extractor every task of an executor shares, built on first use and kept
 * for the executor's life ({@link FeatureExtractor#forward} is thread-safe, so concurrent tasks
 * share it). A request for another model, weights file or node set replaces it; tasks still holding
 * the old one finish with it (the garbage collector frees it after them).
 */
final class ExtractorHolder {

  /**
   * What identifies a loaded extractor. The weights are known by file name and size, so the
   * driver's copy and an executor's copy of one shipped file are the same key (in local mode the
   * driver and the executor are one JVM, and the model is loaded once).
   */
  record Key(String model, String weightsName, long weightsSize, Map<String, String> nodes) {}

  /**
   * A model loaded with its weights, in eval mode, and its extractor.
   *
   * @param model kept reachable while the extractor is used (see FeatureExtraction's caveat)
   */
  record Loaded(Key key, Module model, FeatureExtractor extractor, long loadNanos) {}

  private static Loaded current;
  private static int loads;

  private ExtractorHolder() {}

  /**
   * The extractor for {@code model} with the weights of {@code weights} and {@code nodes}, loaded
   * now unless this JVM already holds it.
   *
   * @throws JobException for an unknown model or node (with the closest names)
   * @throws dev.featurex.runtime.StateDictMismatchException for weights that do not fit the model
   * @throws UncheckedIOException when the weights cannot be read
   */
  static synchronized Loaded get(String model, Path weights, Map<String, String> nodes) {
    Key key = new Key(model, weights.getFileName().toString(), size(weights), Map.copyOf(nodes));
    if (current != null && current.key().equals(key)) {
      return current;
    }
    Natives.extract(); // before any class of org.bytedeco.pytorch initialises (see Natives)
    // As the command line does: convolutions go to oneDNN, as they do anyway where NNPACK cannot
    // run, without libtorch's "Could not initialize NNPACK!" line per convolution on such CPUs.
    torch.globalContext().setUserEnabledNNPACK(false);
    long start = System.nanoTime();
    Module m = ModelCatalog.require(model).builder().get();
    try {
      StateDict.load(m, weights);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load --weights " + weights + ": " + e.getMessage(), e);
    }
    m.eval();
    FeatureExtractor extractor;
    try {
      extractor =
          FeatureExtraction.createFeatureExtractor(
              m, ExtractorOptions.builder().returnNodes(nodes).suppressDiffWarning(true).build());
    } catch (IllegalArgumentException e) {
      throw nodeRefusal(model, m, nodes, e);
    }
    current = new Loaded(key, m, extractor, System.nanoTime() - start);
    loads++;
    return current;
  }

  /**
   * Why the extractor refused {@code nodes}, in the job's words: the first node that no node of the
   * model answers, with the closest names, or the extractor's own message (a runaway pattern).
   */
  private static JobException nodeRefusal(
      String model, Module m, Map<String, String> nodes, IllegalArgumentException e) {
    List<String> names =
        FeatureExtraction.getGraphNodeNames(
                m, ExtractorOptions.builder().suppressDiffWarning(true).build())
            .eval();
    try {
      Optional<String> unanswered = ReturnNodes.unanswered(model, names, nodes.keySet());
      return new JobException(
          JobException.Kind.USAGE, "--nodes: " + unanswered.orElse(e.getMessage()), e);
    } catch (IllegalArgumentException tooComplex) {
      return new JobException(JobException.Kind.USAGE, "--nodes: " + tooComplex.getMessage(), e);
    }
  }

  /** How many times this JVM has loaded a model (for tests: once per executor). */
  static synchronized int loads() {
    return loads;
  }

  private static long size(Path weights) {
    try {
      return Files.size(weights);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read --weights " + weights + ": " + e.getMessage(), e);
    }
  }
}
