package dev.featurex.samples.other;

import dev.featurex.annotations.ExtractFeatures;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** A small net trained through its extractors: gradients must be the model's own. */
@ExtractFeatures({"relu:stem", "fc:logits"})
public class TrainNet extends Module {

  private final Conv2dImpl conv =
      register_module("conv", new Conv2dImpl(3, 4, new LongPointer(3L, 3L)));
  private final BatchNorm2dImpl bn =
      register_module("bn", new BatchNorm2dImpl(new BatchNormOptions(4)));
  private final ReLUImpl relu = register_module("relu", new ReLUImpl());
  private final LinearImpl fc = register_module("fc", new LinearImpl(4 * 6 * 6, 3));

  /** The stem alone, as the model computes it. */
  public Tensor stem(Tensor x) {
    return relu.forward(bn.forward(conv.forward(x)));
  }

  /** Logits for {@code [N, 3, 8, 8]}. */
  public Tensor forward(Tensor x) {
    return fc.forward(torch.flatten(stem(x), 1, -1));
  }
}
