package dev.featurex.samples;

import dev.featurex.annotations.ExtractFeatures;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * torchvision's train/eval test model ({@code test_backbone_utils.py}, {@code test_train_eval}) in
 * Java: the branch taken depends on the mode. One record holds both modes, so the branch node gets
 * one key: {@code add} in train mode, {@code mul} in eval mode.
 */
@ExtractFeatures(
    train = {"dropout", "add:branch", "sub"},
    eval = {"dropout", "mul:branch", "sub"},
    suppressDiffWarning = true)
public class TrainEvalModel extends Module {

  private final DropoutImpl dropout = register_module("dropout", new DropoutImpl(1.0));

  public Tensor forward(Tensor x) {
    x = x.mean();
    x = dropout.forward(x);
    if (is_training()) {
      x = x.add(new Scalar(100));
    } else {
      x = x.mul(new Scalar(0));
    }
    return x.sub(new Scalar(0));
  }
}
