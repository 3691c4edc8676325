package dev.featurex.samples.inference;

import dev.featurex.annotations.ExtractFeatures;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.MaxPool2dOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLU6Impl;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.ReLUOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.kReflect;
import org.bytedeco.pytorch.kSame;

/**
 * Every case the inference optimizations must get right, in one small net:
 *
 * <ul>
 *   <li>{@code stem}: a convolution with a bias, a batch norm, a ReLU (foldable, in place), a max
 *       pooling (either layout);
 *   <li>{@code block}: a grouped, dilated convolution and a batch norm without affine parameters,
 *       ReLU6 in place, a convolution with {@code "same"} padding, a residual add;
 *   <li>{@code shared}: a batch norm whose output a ReLU reads and an add reads again afterwards,
 *       so the ReLU must not overwrite it;
 *   <li>{@code reflect}: a convolution with reflect padding, which cannot fold;
 *   <li>{@code inplace}: a ReLU module made with {@code inplace(true)}, which writes into its input
 *       in {@code forward} too;
 *   <li>a flatten (a view) and a {@code relu()} of it, which must not run in place; the head.
 * </ul>
 */
@ExtractFeatures(name = "Head", value = "head")
@ExtractFeatures(
    name = "Requested",
    value = {"stem.conv", "stem.norm", "block.bn2", "shared.norm", "relu", "head"})
public class InferenceNet extends Module {

  private final Conv2dImpl stemConv;
  private final BatchNorm2dImpl stemNorm;
  private final ReLUImpl stemAct;
  private final MaxPool2dImpl pool;
  private final Conv2dImpl conv1;
  private final BatchNorm2dImpl bn1;
  private final ReLU6Impl act1;
  private final Conv2dImpl conv2;
  private final BatchNorm2dImpl bn2;
  private final Conv2dImpl sharedConv;
  private final BatchNorm2dImpl sharedNorm;
  private final ReLUImpl sharedAct;
  private final Conv2dImpl reflectConv;
  private final BatchNorm2dImpl reflectNorm;
  private final ReLUImpl inplace;
  private final LinearImpl head;

  /** The net, for {@code [N, 3, H, W]} images, 10 outputs. */
  public InferenceNet() {
    Module stem = register_module("stem", new Module());
    Conv2dOptions stemOptions = new Conv2dOptions(3, 8, new LongPointer(3L, 3L));
    stemOptions.padding().put(new LongPointer(1L, 1L));
    stemConv = stem.register_module("conv", new Conv2dImpl(stemOptions));
    stemNorm = stem.register_module("norm", new BatchNorm2dImpl(new BatchNormOptions(8)));
    stemAct = stem.register_module("act", new ReLUImpl());
    MaxPool2dOptions pooling = new MaxPool2dOptions(new LongPointer(3L, 3L));
    pooling.stride().put(new long[] {1, 1});
    pooling.padding().put(new long[] {1, 1});
    pool = stem.register_module("pool", new MaxPool2dImpl(pooling));

    Module block = register_module("block", new Module());
    Conv2dOptions grouped = new Conv2dOptions(8, 8, new LongPointer(3L, 3L));
    grouped.padding().put(new LongPointer(2L, 2L));
    grouped.dilation().put(new long[] {2, 2});
    grouped.groups().put(2);
    grouped.bias().put(false);
    conv1 = block.register_module("conv1", new Conv2dImpl(grouped));
    BatchNormOptions plain = new BatchNormOptions(8);
    plain.affine().put(false);
    bn1 = block.register_module("bn1", new BatchNorm2dImpl(plain));
    act1 = block.register_module("act1", new ReLU6Impl());
    Conv2dOptions same = new Conv2dOptions(8, 8, new LongPointer(3L, 3L));
    same.padding().put(new kSame());
    conv2 = block.register_module("conv2", new Conv2dImpl(same));
    bn2 = block.register_module("bn2", new BatchNorm2dImpl(new BatchNormOptions(8)));

    Module shared = register_module("shared", new Module());
    sharedConv = shared.register_module("conv", new Conv2dImpl(8, 8, new LongPointer(1L, 1L)));
    sharedNorm = shared.register_module("norm", new BatchNorm2dImpl(new BatchNormOptions(8)));
    sharedAct = shared.register_module("act", new ReLUImpl());

    Conv2dOptions reflect = new Conv2dOptions(8, 8, new LongPointer(3L, 3L));
    reflect.padding().put(new LongPointer(1L, 1L));
    reflect.padding_mode().put(new kReflect());
    reflectConv = register_module("reflectConv", new Conv2dImpl(reflect));
    reflectNorm = register_module("reflectNorm", new BatchNorm2dImpl(new BatchNormOptions(8)));
    inplace = register_module("inplace", new ReLUImpl(new ReLUOptions(true)));
    head = register_module("head", new LinearImpl(8 * 4 * 4, 10));
  }

  /** Logits for {@code [N, 3, 4, 4]}. */
  public Tensor forward(Tensor x) {
    Tensor h = pool.forward(stemAct.forward(stemNorm.forward(stemConv.forward(x))));
    Tensor out = act1.forward(bn1.forward(conv1.forward(h)));
    out = bn2.forward(conv2.forward(out));
    h = out.add(h);
    Tensor t = sharedNorm.forward(sharedConv.forward(h));
    Tensor a = sharedAct.forward(t);
    h = a.add(t);
    h = inplace.forward(reflectNorm.forward(reflectConv.forward(h)));
    Tensor flat = torch.flatten(h, 1, -1).relu();
    return head.forward(flat);
  }
}
