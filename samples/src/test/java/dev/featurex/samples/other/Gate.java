package dev.featurex.samples.other;

import dev.featurex.annotations.LeafModule;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/** Branches on a tensor's value, which no tracer can follow: a leaf, one node. */
@LeafModule
public class Gate extends Module {

  public Tensor forward(Tensor x) {
    return x.sum().item().toDouble() > 0 ? x.relu() : x.neg();
  }
}
