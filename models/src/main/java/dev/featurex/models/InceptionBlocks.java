package dev.featurex.models;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/** Inception-v3's blocks, torchvision's {@code InceptionA} to {@code InceptionE} and aux. */
public final class InceptionBlocks {

  private InceptionBlocks() {}

  /** {@code F.avg_pool2d(x, kernel_size=3, stride=1, padding=1)}. */
  static Tensor avgPool3x3(Tensor x) {
    return torch.avg_pool2d(
        x,
        new long[] {3, 3},
        new long[] {1, 1},
        new long[] {1, 1},
        false,
        true,
        new LongOptional());
  }

  /** {@code F.max_pool2d(x, kernel_size=3, stride=2)}. */
  static Tensor maxPool3x3(Tensor x) {
    return torch.max_pool2d(
        x, new long[] {3, 3}, new long[] {2, 2}, new long[] {0, 0}, new long[] {1, 1}, false);
  }

  /** 35x35 block: 1x1, 5x5, double 3x3 and pooled branches. */
  public static class InceptionA extends Module {
    private final BasicConv2d branch1x1;
    private final BasicConv2d branch5x5_1;
    private final BasicConv2d branch5x5_2;
    private final BasicConv2d branch3x3dbl_1;
    private final BasicConv2d branch3x3dbl_2;
    private final BasicConv2d branch3x3dbl_3;
    private final BasicConv2d branchPool;

    /** A block reading {@code inChannels}, with {@code poolFeatures} pooled channels. */
    public InceptionA(long inChannels, long poolFeatures) {
      branch1x1 = register_module("branch1x1", new BasicConv2d(inChannels, 64));
      branch5x5_1 = register_module("branch5x5_1", new BasicConv2d(inChannels, 48));
      branch5x5_2 = register_module("branch5x5_2", new BasicConv2d(48, 64, 5, 1, 2));
      branch3x3dbl_1 = register_module("branch3x3dbl_1", new BasicConv2d(inChannels, 64));
      branch3x3dbl_2 = register_module("branch3x3dbl_2", new BasicConv2d(64, 96, 3, 1, 1));
      branch3x3dbl_3 = register_module("branch3x3dbl_3", new BasicConv2d(96, 96, 3, 1, 1));
      branchPool = register_module("branch_pool", new BasicConv2d(inChannels, poolFeatures));
    }

    private Tensor[] branches(Tensor x) {
      Tensor b1x1 = branch1x1.forward(x);
      Tensor b5x5 = branch5x5_2.forward(branch5x5_1.forward(x));
      Tensor b3x3dbl = branch3x3dbl_1.forward(x);
      b3x3dbl = branch3x3dbl_2.forward(b3x3dbl);
      b3x3dbl = branch3x3dbl_3.forward(b3x3dbl);
      Tensor bPool = branchPool.forward(avgPool3x3(x));
      return new Tensor[] {b1x1, b5x5, b3x3dbl, bPool};
    }

    /** The branches, concatenated. */
    public Tensor forward(Tensor x) {
      return torch.cat(new TensorVector(branches(x)), 1);
    }
  }

  /** Grid reduction from 35x35 to 17x17. */
  public static class InceptionB extends Module {
    private final BasicConv2d branch3x3;
    private final BasicConv2d branch3x3dbl_1;
    private final BasicConv2d branch3x3dbl_2;
    private final BasicConv2d branch3x3dbl_3;

    /** A block reading {@code inChannels}. */
    public InceptionB(long inChannels) {
      branch3x3 = register_module("branch3x3", new BasicConv2d(inChannels, 384, 3, 2, 0));
      branch3x3dbl_1 = register_module("branch3x3dbl_1", new BasicConv2d(inChannels, 64));
      branch3x3dbl_2 = register_module("branch3x3dbl_2", new BasicConv2d(64, 96, 3, 1, 1));
      branch3x3dbl_3 = register_module("branch3x3dbl_3", new BasicConv2d(96, 96, 3, 2, 0));
    }

    private Tensor[] branches(Tensor x) {
      Tensor b3x3 = branch3x3.forward(x);
      Tensor b3x3dbl = branch3x3dbl_1.forward(x);
      b3x3dbl = branch3x3dbl_2.forward(b3x3dbl);
      b3x3dbl = branch3x3dbl_3.forward(b3x3dbl);
      Tensor bPool = maxPool3x3(x);
      return new Tensor[] {b3x3, b3x3dbl, bPool};
    }

    /** The branches, concatenated. */
    public Tensor forward(Tensor x) {
      return torch.cat(new TensorVector(branches(x)), 1);
    }
  }

  /** 17x17 block with factorised 7x7 convolutions. */
  public static class InceptionC extends Module {
    private final BasicConv2d branch1x1;
    private final BasicConv2d branch7x7_1;
    private final BasicConv2d branch7x7_2;
    private final BasicConv2d branch7x7_3;
    private final BasicConv2d branch7x7dbl_1;
    private final BasicConv2d branch7x7dbl_2;
    private final BasicConv2d branch7x7dbl_3;
    private final BasicConv2d branch7x7dbl_4;
    private final BasicConv2d branch7x7dbl_5;
    private final BasicConv2d branchPool;

    /** A block reading {@code inChannels}, {@code c7} channels inside the 7x7 branches. */
    public InceptionC(long inChannels, long c7) {
      branch1x1 = register_module("branch1x1", new BasicConv2d(inChannels, 192));
      branch7x7_1 = register_module("branch7x7_1", new BasicConv2d(inChannels, c7));
      branch7x7_2 = register_module("branch7x7_2", new BasicConv2d(c7, c7, 1, 7, 1, 0, 3));
      branch7x7_3 = register_module("branch7x7_3", new BasicConv2d(c7, 192, 7, 1, 1, 3, 0));
      branch7x7dbl_1 = register_module("branch7x7dbl_1", new BasicConv2d(inChannels, c7));
      branch7x7dbl_2 = register_module("branch7x7dbl_2", new BasicConv2d(c7, c7, 7, 1, 1, 3, 0));
      branch7x7dbl_3 = register_module("branch7x7dbl_3", new BasicConv2d(c7, c7, 1, 7, 1, 0, 3));
      branch7x7dbl_4 = register_module("branch7x7dbl_4", new BasicConv2d(c7, c7, 7, 1, 1, 3, 0));
      branch7x7dbl_5 = register_module("branch7x7dbl_5", new BasicConv2d(c7, 192, 1, 7, 1, 0, 3));
      branchPool = register_module("branch_pool", new BasicConv2d(inChannels, 192));
    }

    private Tensor[] branches(Tensor x) {
      Tensor b1x1 = branch1x1.forward(x);
      Tensor b7x7 = branch7x7_1.forward(x);
      b7x7 = branch7x7_2.forward(b7x7);
      b7x7 = branch7x7_3.forward(b7x7);
      Tensor b7x7dbl = branch7x7dbl_1.forward(x);
      b7x7dbl = branch7x7dbl_2.forward(b7x7dbl);
      b7x7dbl = branch7x7dbl_3.forward(b7x7dbl);
      b7x7dbl = branch7x7dbl_4.forward(b7x7dbl);
      b7x7dbl = branch7x7dbl_5.forward(b7x7dbl);
      Tensor bPool = branchPool.forward(avgPool3x3(x));
      return new Tensor[] {b1x1, b7x7, b7x7dbl, bPool};
    }

    /** The branches, concatenated. */
    public Tensor forward(Tensor x) {
      return torch.cat(new TensorVector(branches(x)), 1);
    }
  }

  /** Grid reduction from 17x17 to 8x8. */
  public static class InceptionD extends Module {
    private final BasicConv2d branch3x3_1;
    private final BasicConv2d branch3x3_2;
    private final BasicConv2d branch7x7x3_1;
    private final BasicConv2d branch7x7x3_2;
    private final BasicConv2d branch7x7x3_3;
    private final BasicConv2d branch7x7x3_4;

    /** A block reading {@code inChannels}. */
    public InceptionD(long inChannels) {
      branch3x3_1 = register_module("branch3x3_1", new BasicConv2d(inChannels, 192));
      branch3x3_2 = register_module("branch3x3_2", new BasicConv2d(192, 320, 3, 2, 0));
      branch7x7x3_1 = register_module("branch7x7x3_1", new BasicConv2d(inChannels, 192));
      branch7x7x3_2 = register_module("branch7x7x3_2", new BasicConv2d(192, 192, 1, 7, 1, 0, 3));
      branch7x7x3_3 = register_module("branch7x7x3_3", new BasicConv2d(192, 192, 7, 1, 1, 3, 0));
      branch7x7x3_4 = register_module("branch7x7x3_4", new BasicConv2d(192, 192, 3, 2, 0));
    }

    private Tensor[] branches(Tensor x) {
      Tensor b3x3 = branch3x3_2.forward(branch3x3_1.forward(x));
      Tensor b7x7x3 = branch7x7x3_1.forward(x);
      b7x7x3 = branch7x7x3_2.forward(b7x7x3);
      b7x7x3 = branch7x7x3_3.forward(b7x7x3);
      b7x7x3 = branch7x7x3_4.forward(b7x7x3);
      Tensor bPool = maxPool3x3(x);
      return new Tensor[] {b3x3, b7x7x3, bPool};
    }

    /** The branches, concatenated. */
    public Tensor forward(Tensor x) {
      return torch.cat(new TensorVector(branches(x)), 1);
    }
  }

  /** 8x8 block with expanded filter banks. */
  public static class InceptionE extends Module {
    private final BasicConv2d branch1x1;
    private final BasicConv2d branch3x3_1;
    private final BasicConv2d branch3x3_2a;
    private final BasicConv2d branch3x3_2b;
    private final BasicConv2d branch3x3dbl_1;
    private final BasicConv2d branch3x3dbl_2;
    private final BasicConv2d branch3x3dbl_3a;
    private final BasicConv2d branch3x3dbl_3b;
    private final BasicConv2d branchPool;

    /** A block reading {@code inChannels}. */
    public InceptionE(long inChannels) {
      branch1x1 = register_module("branch1x1", new BasicConv2d(inChannels, 320));
      branch3x3_1 = register_module("branch3x3_1", new BasicConv2d(inChannels, 384));
      branch3x3_2a = register_module("branch3x3_2a", new BasicConv2d(384, 384, 1, 3, 1, 0, 1));
      branch3x3_2b = register_module("branch3x3_2b", new BasicConv2d(384, 384, 3, 1, 1, 1, 0));
      branch3x3dbl_1 = register_module("branch3x3dbl_1", new BasicConv2d(inChannels, 448));
      branch3x3dbl_2 = register_module("branch3x3dbl_2", new BasicConv2d(448, 384, 3, 1, 1));
      branch3x3dbl_3a =
          register_module("branch3x3dbl_3a", new BasicConv2d(384, 384, 1, 3, 1, 0, 1));
      branch3x3dbl_3b =
          register_module("branch3x3dbl_3b", new BasicConv2d(384, 384, 3, 1, 1, 1, 0));
      branchPool = register_module("branch_pool", new BasicConv2d(inChannels, 192));
    }

    private Tensor[] branches(Tensor x) {
      Tensor b1x1 = branch1x1.forward(x);
      Tensor b3x3 = branch3x3_1.forward(x);
      b3x3 = torch.cat(new TensorVector(branch3x3_2a.forward(b3x3), branch3x3_2b.forward(b3x3)), 1);
      Tensor b3x3dbl = branch3x3dbl_1.forward(x);
      b3x3dbl = branch3x3dbl_2.forward(b3x3dbl);
      b3x3dbl =
          torch.cat(
              new TensorVector(branch3x3dbl_3a.forward(b3x3dbl), branch3x3dbl_3b.forward(b3x3dbl)),
              1);
      Tensor bPool = branchPool.forward(avgPool3x3(x));
      return new Tensor[] {b1x1, b3x3, b3x3dbl, bPool};
    }

    /** The branches, concatenated. */
    public Tensor forward(Tensor x) {
      return torch.cat(new TensorVector(branches(x)), 1);
    }
  }

  /** Inception-v3's auxiliary classifier, on the 17x17 grid. */
  public static class InceptionAux extends Module {
    private final BasicConv2d conv0;
    private final BasicConv2d conv1;
    private final LinearImpl fc;

    /** A classifier reading {@code inChannels}. */
    public InceptionAux(long inChannels, long numClasses) {
      conv0 = register_module("conv0", new BasicConv2d(inChannels, 128));
      conv1 = register_module("conv1", new BasicConv2d(128, 768, 5, 1, 0));
      fc = register_module("fc", new LinearImpl(768, numClasses));
    }

    /** The auxiliary logits. */
    public Tensor forward(Tensor x) {
      x =
          torch.avg_pool2d(
              x,
              new long[] {5, 5},
              new long[] {3, 3},
              new long[] {0, 0},
              false,
              true,
              new LongOptional());
      x = conv0.forward(x);
      x = conv1.forward(x);
      x = torch.adaptive_avg_pool2d(x, 1, 1);
      x = torch.flatten(x, 1, -1);
      return fc.forward(x);
    }
  }
}
