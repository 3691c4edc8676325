package dev.featurex.samples.other;

import dev.featurex.annotations.ExtractFeatures;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.MultiheadAttentionImpl;
import org.bytedeco.pytorch.Tensor;

/**
 * A plain {@code Module} used as a named container, and multi-head attention (whose C++ name is not
 * its class's): their recorded module tree must equal the live one.
 */
@ExtractFeatures({"getitem:attended", "group.fc:out"})
public class ContainerNet extends Module {

  private final Module group = register_module("group", new Module());
  private final LinearImpl fc = group.register_module("fc", new LinearImpl(8, 8));
  private final MultiheadAttentionImpl attention =
      register_module("attention", new MultiheadAttentionImpl(8, 2));

  /** Self-attention over {@code [L, N, 8]}, then a linear layer. */
  public Tensor forward(Tensor x) {
    Tensor attended = attention.forward(x, x, x).get0();
    return fc.forward(attended);
  }
}
