package com.example.vision;

import dev.featurex.annotations.ExtractFeatures;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.Tensor;

/** A user's own model; the processor generates TinyCnnFeatures and TinyCnnFeatureExtractor. */
@ExtractFeatures({"conv1", "relu:hidden", "fc:logits"})
public class TinyCnn extends Module {

  private final Conv2dImpl conv1 =
      register_module("conv1", new Conv2dImpl(new Conv2dOptions(3, 8, new LongPointer(3L, 3L))));
  private final ReLUImpl relu = register_module("relu", new ReLUImpl());
  private final LinearImpl fc = register_module("fc", new LinearImpl(8, 10));

  public Tensor forward(Tensor x) {
    Tensor h = relu.forward(conv1.forward(x));
    h = h.mean(new long[] {2, 3});
    return fc.forward(h);
  }
}
