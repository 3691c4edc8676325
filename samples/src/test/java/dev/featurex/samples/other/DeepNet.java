package dev.featurex.samples.other;

import dev.featurex.annotations.ExtractFeatures;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * A model too big for straight-line generated code: 1,200 layers, 2,400 nodes. Its generated code
 * binds the layers into an array in chunks and its typed extractor runs the chunked program.
 */
@ExtractFeatures({"fc3:early", "relu_1199:last"})
public class DeepNet extends Module {

  /** The number of layers. */
  public static final int DEPTH = 1200;

  private final List<LinearImpl> layers = new ArrayList<>();

  /** Layers of width 2. */
  public DeepNet() {
    for (int i = 0; i < DEPTH; i++) {
      layers.add(register_module("fc" + i, new LinearImpl(2, 2)));
    }
  }

  /** Every layer, each followed by a ReLU. */
  public Tensor forward(Tensor x) {
    for (LinearImpl layer : layers) {
      x = layer.forward(x).relu();
    }
    return x;
  }
}
