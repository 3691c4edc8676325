package dev.featurex.cli.extract;

import dev.featurex.runtime.Pooling;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What to extract, as the command line and the Spark job take it: plain values, serializable, so
 * that a Spark driver can ship it to its executors.
 *
 * @param model the zoo's name of the model ({@code resnet50})
 * @param weights the checkpoint file (torchvision's {@code .pth}, a {@code torch.save} state dict,
 *     or safetensors), as a path the extracting JVM can read
 * @param nodes the requested nodes, {@code node} or {@code node:key}, in the order given
 * @param pooling what is done to each feature
 * @param resize the shorter side after resizing; 0 for the model's default (torchvision's weights)
 * @param crop the centre crop's side; 0 for the model's default
 * @param interpolation {@code bilinear}, {@code bicubic}, ...; null for the model's default
 * @param batchSize images per forward call
 * @param threads torch's intra-op threads, and the decoding threads
 */
public record ExtractionSpec(
    String model,
    String weights,
    List<String> nodes,
    Pooling pooling,
    int resize,
    int crop,
    String interpolation,
    int batchSize,
    int threads)
    implements Serializable {

  /** Copies the node list and checks that the model, weights, nodes and pooling are given. */
  public ExtractionSpec {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(weights, "weights");
    nodes = List.copyOf(nodes);
    Objects.requireNonNull(pooling, "pooling");
  }

  /** A spec with the model's default preprocessing, batches of 32 and one thread. */
  public static ExtractionSpec of(String model, String weights, List<String> nodes) {
    return new ExtractionSpec(model, weights, nodes, Pooling.NONE, 0, 0, null, 32, 1);
  }
}
