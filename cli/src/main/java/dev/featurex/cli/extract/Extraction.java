package dev.featurex.cli.extract;

import dev.featurex.cli.extract.ExtractionException.Kind;
import dev.featurex.graph.ReturnNodes;
import dev.featurex.graph.Suggestions;
import dev.featurex.images.BatchLoader;
import dev.featurex.images.ImageBatch;
import dev.featurex.images.Interpolation;
import dev.featurex.images.Preprocessing;
import dev.featurex.models.Zoo;
import dev.featurex.runtime.ExtractorOptions;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.runtime.Pooling;
import dev.featurex.runtime.StateDict;
import dev.featurex.runtime.StateDictFormatException;
import dev.featurex.runtime.StateDictMismatchException;
import dev.featurex.runtime.Threads;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The extraction core that the command line and the Spark job share: a zoo model with its weights,
 * in eval mode, an extractor for the requested nodes, the preprocessing of the model's weights, and
 * {@link #run} from a batch of preprocessed images to float arrays.
 *
 * <p>{@link #load} checks the request in the order of cost, so that a typo is reported at once: the
 * model's name, the preprocessing options, the node names (on the built model), and only then the
 * weights file. Every problem is an {@link ExtractionException} naming the value and the fix.
 *
 * <p>One instance serves one thread at a time: {@link #run} may be called from any thread, but
 * libtorch's intra-op threads and OpenBLAS's ({@link #setTorchThreads}) are what makes a batch
 * parallel.
 */
public final class Extraction {

  /** The longest line of a weights error shown. */
  private static final int LINE_LIMIT = 400;

  /** The most lines of a weights error shown. */
  private static final int LINES_LIMIT = 6;

  private final Zoo.Entry entry;
  private final Module model;
  private final FeatureExtractor extractor;
  private final Preprocessing preprocessing;
  private final Pooling pooling;

  private Extraction(
      Zoo.Entry entry,
      Module model,
      FeatureExtractor extractor,
      Preprocessing preprocessing,
      Pooling pooling) {
    this.entry = entry;
    this.model = model;
    this.extractor = extractor;
    this.preprocessing = preprocessing;
    this.pooling = pooling;
  }

  /**
   * Builds the model of {@code spec}, checks its nodes, loads its weights (strictly) and prepares
   * the extractor, in eval mode.
   *
   * @throws ExtractionException for an unknown model, a bad option or node, or weights that cannot
   *     be read or do not fit
   */
  public static Extraction load(ExtractionSpec spec) throws ExtractionException {
    Zoo.Entry entry = zooEntry(spec.model());
    Preprocessing preprocessing = preprocessing(entry, spec);
    Map<String, String> nodes = parseNodes(spec.nodes());
    Module model = entry.build();
    model.eval();
    FeatureExtractor extractor = extractor(spec.model(), model, nodes);
    loadWeights(model, spec.model(), Path.of(spec.weights()));
    return new Extraction(entry, model, extractor, preprocessing, spec.pooling());
  }

  /**
   * The zoo's entry named {@code name}.
   *
   * @throws ExtractionException of kind {@link Kind#MODEL}, with the closest names
   */
  public static Zoo.Entry zooEntry(String name) throws ExtractionException {
    return Zoo.find(name)
        .orElseThrow(
            () -> {
              List<String> closest = Suggestions.closest(name, Zoo.names());
              String hint =
                  closest.isEmpty() ? "" : "did you mean " + quoteList(closest, " or ") + "? ";
              return new ExtractionException(
                  Kind.MODEL,
                  "unknown model \"" + name + "\"; " + hint + "(featurex models lists them all)");
            });
  }

  /**
   * The requested nodes as node-to-key, in order: each of {@code specs} is {@code node} or {@code
   * node:key}, and may hold several separated by commas.
   *
   * @throws ExtractionException of kind {@link Kind#NODES} for an empty list, a malformed entry, a
   *     node asked twice or a key given twice
   */
  public static Map<String, String> parseNodes(List<String> specs) throws ExtractionException {
    Map<String, String> nodeToKey = new LinkedHashMap<>();
    for (String joined : specs) {
      for (String spec : joined.split(",", -1)) {
        ReturnNodes.Request request;
        try {
          request = ReturnNodes.parse(spec.trim());
        } catch (IllegalArgumentException e) {
          throw new ExtractionException(
              Kind.NODES,
              "bad node \"" + spec + "\": " + e.getMessage() + " (write node or node:key)");
        }
        if (nodeToKey.containsKey(request.node())) {
          throw new ExtractionException(
              Kind.NODES, "node \"" + request.node() + "\" is asked twice");
        }
        if (nodeToKey.containsValue(request.key())) {
          throw new ExtractionException(
              Kind.NODES,
              "key \"" + request.key() + "\" is given to two nodes; give each node its own key");
        }
        nodeToKey.put(request.node(), request.key());
      }
    }
    if (nodeToKey.isEmpty()) {
      throw new ExtractionException(Kind.NODES, "no node requested (--nodes layer4,avgpool)");
    }
    return nodeToKey;
  }

  /**
   * The preprocessing of {@code entry}'s weights, with the resize, crop and interpolation of {@code
   * spec} where it sets them.
   *
   * @throws ExtractionException of kind {@link Kind#OPTIONS} for a size below 1, an unknown
   *     interpolation, or a batch size whose batch does not fit in one array ({@link
   *     BatchLoader#maxBatchSize})
   */
  public static Preprocessing preprocessing(Zoo.Entry entry, ExtractionSpec spec)
      throws ExtractionException {
    int resize = spec.resize() == 0 ? entry.resizeSize() : spec.resize();
    int crop = spec.crop() == 0 ? entry.cropSize() : spec.crop();
    if (resize < 1 || crop < 1) {
      throw new ExtractionException(
          Kind.OPTIONS, "image sizes must be at least 1, got resize " + resize + ", crop " + crop);
    }
    String name = spec.interpolation() == null ? entry.interpolation() : spec.interpolation();
    Interpolation interpolation;
    try {
      interpolation = Interpolation.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ExtractionException(
          Kind.OPTIONS,
          "unknown interpolation \""
              + name
              + "\"; use one of "
              + Arrays.toString(Interpolation.values()).toLowerCase(Locale.ROOT));
    }
    return checkBatch(
        spec.batchSize(),
        Preprocessing.builder()
            .resize(resize)
            .centerCrop(crop)
            .interpolation(interpolation)
            .build());
  }

  /** {@code preprocessing}, when a batch of {@code batchSize} of its images fits in one array. */
  private static Preprocessing checkBatch(int batchSize, Preprocessing preprocessing)
      throws ExtractionException {
    int maxBatch = BatchLoader.maxBatchSize(preprocessing);
    if (batchSize > maxBatch) {
      throw new ExtractionException(
          Kind.OPTIONS,
          "a batch of "
              + batchSize
              + " images is too large: batch x 3 x crop x crop floats must fit in one Java array,"
              + " so at most "
              + maxBatch
              + " images of 3 x "
              + preprocessing.height()
              + " x "
              + preprocessing.width()
              + "; use a smaller batch");
    }
    return preprocessing;
  }

  /**
   * Sets the threads the whole JVM computes with: libtorch's intra-op threads and OpenBLAS's own
   * pool, through {@link Threads#set} (see there why {@code torch.set_num_threads} alone is not
   * enough), and turns NNPACK's messages off.
   *
   * @throws IllegalArgumentException when {@code threads} is below 1
   */
  public static void setTorchThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    quietNnpack();
    Threads.set(threads);
  }

  /**
   * Turns NNPACK off for the whole JVM ({@code torch.backends.nnpack.set_flags(False)}):
   * convolutions go to oneDNN, as they do anyway where NNPACK cannot run, and on such CPUs (AVX-512
   * without the instructions NNPACK wants) libtorch 2.10 otherwise prints "Could not initialize
   * NNPACK!" for every convolution of the first batch. Measured on a 2-core AMD EPYC: the same
   * ResNet-50 time with NNPACK on or off.
   */
  public static void quietNnpack() {
    torch.globalContext().setUserEnabledNNPACK(false);
  }

  /**
   * Checks that a node of {@code names} answers each requested node (torchvision's rule: the name
   * itself, or a prefix ending at a dot), in the command line's words.
   *
   * @throws ExtractionException of kind {@link Kind#NODES} naming the first request that matches no
   *     node, with the closest names and where to list them
   */
  public static void checkNodes(String modelName, List<String> names, Map<String, String> nodes)
      throws ExtractionException {
    Optional<String> unanswered;
    try {
      unanswered = ReturnNodes.unanswered(modelName, names, nodes.keySet());
    } catch (IllegalArgumentException e) {
      throw new ExtractionException(Kind.NODES, e.getMessage(), e);
    }
    if (unanswered.isPresent()) {
      throw new ExtractionException(Kind.NODES, "node " + unanswered.get());
    }
  }

  private static FeatureExtractor extractor(
      String modelName, Module model, Map<String, String> nodes) throws ExtractionException {
    checkNodes(
        modelName,
        FeatureExtraction.getGraphNodeNames(
                model, ExtractorOptions.builder().suppressDiffWarning(true).build())
            .eval(),
        nodes);
    try {
      return FeatureExtraction.createFeatureExtractor(
          model, ExtractorOptions.builder().returnNodes(nodes).suppressDiffWarning(true).build());
    } catch (IllegalArgumentException e) {
      throw new ExtractionException(
          Kind.NODES,
          e.getMessage() + " (featurex nodes " + modelName + " lists the node names)",
          e);
    }
  }

  private static void loadWeights(Module model, String modelName, Path weights)
      throws ExtractionException {
    try {
      if (Files.isDirectory(weights)) {
        throw new ExtractionException(
            Kind.WEIGHTS, "weights file " + weights + " is a directory; name the checkpoint file");
      }
      StateDict.load(model, weights);
    } catch (NoSuchFileException e) {
      throw new ExtractionException(Kind.WEIGHTS, "weights file " + weights + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new ExtractionException(
          Kind.WEIGHTS, "weights file " + weights + " cannot be read (permission denied)", e);
    } catch (StateDictMismatchException e) {
      throw new ExtractionException(
          Kind.WEIGHTS,
          "weights file "
              + weights
              + " does not fit "
              + modelName
              + " (is it another model's checkpoint?): "
              + abbreviate(e.getMessage()),
          e);
    } catch (StateDictFormatException e) {
      throw new ExtractionException(Kind.WEIGHTS, e.getMessage(), e);
    } catch (IOException e) {
      throw new ExtractionException(
          Kind.WEIGHTS, "weights file " + weights + " cannot be read: " + e, e);
    }
  }

  /** The zoo entry of the model. */
  public Zoo.Entry entry() {
    return entry;
  }

  /** The model, with its weights, in eval mode. */
  public Module model() {
    return model;
  }

  /** The preprocessing that {@link #run}'s batches must have gone through. */
  public Preprocessing preprocessing() {
    return preprocessing;
  }

  /** The node that answers each key, in execution order ({@code layer4 -> layer4.2.relu_2}). */
  public Map<String, String> selectedNodes() {
    return extractor.returnNodes(false);
  }

  /**
   * The features of a batch: the extractor's tensors, pooled, copied into float arrays; every
   * tensor of the call is freed before it returns.
   *
   * @throws IllegalArgumentException when the batch is empty or not of this preprocessing's size
   */
  public FeatureBatch run(ImageBatch batch) {
    long[] shape = batch.shape();
    if (shape[0] == 0) {
      throw new IllegalArgumentException("an empty batch has no features");
    }
    if (shape[2] != preprocessing.height() || shape[3] != preprocessing.width()) {
      throw new IllegalArgumentException(
          "batch of " + Arrays.toString(shape) + " does not match " + preprocessing);
    }
    return new FeatureBatch(batch.sources(), run(batch::toTensor));
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  private Map<String, FeatureBatch.Feature> run(java.util.function.Supplier<Tensor> input) {
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      Map<String, Tensor> out = extractor.forward(input.get());
      Map<String, FeatureBatch.Feature> features = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> e : out.entrySet()) {
        Pooling.Copy copy = pooling.copy(e.getValue());
        long[] sizes = copy.shape();
        features.put(
            e.getKey(),
            new FeatureBatch.Feature(Arrays.copyOfRange(sizes, 1, sizes.length), copy.values()));
      }
      return features;
    }
  }

  /** A long message cut for a terminal ({@link StateDictMismatchException#abbreviate}). */
  static String abbreviate(String message) {
    return StateDictMismatchException.abbreviate(message, LINES_LIMIT, LINE_LIMIT);
  }

  private static String quoteList(List<String> names, String lastSeparator) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        text.append(i == names.size() - 1 ? lastSeparator : ", ");
      }
      text.append('"').append(names.get(i)).append('"');
    }
    return text.toString();
  }
}
