package dev.featurex.samples.other;

import dev.featurex.annotations.ExtractFeatures;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.Tensor;

/**
 * A model written by someone else: other names and depths, a helper that builds the layers, a
 * {@code List} of blocks walked by a for loop, a residual decided by a Java method, shape ops on
 * traced sizes. The tracer knows nothing of it.
 */
@ExtractFeatures({"stem", "body.2:deep", "head:embedding"})
public class SmallNet extends Module {

  private static final int[] WIDTHS = {8, 16, 16, 32};

  private final ConvBnAct stem;
  private final List<ConvBnAct> blocks = new ArrayList<>();
  private final LinearImpl head;

  public SmallNet() {
    this(3, WIDTHS, 10);
  }

  SmallNet(int inChannels, int[] widths, int classes) {
    stem = register_module("stem", new ConvBnAct(inChannels, widths[0], 2));
    ModuleListImpl body = register_module("body", new ModuleListImpl());
    for (int i = 1; i < widths.length; i++) {
      ConvBnAct block = makeBlock(widths[i - 1], widths[i]);
      body.push_back(block);
      blocks.add(block);
    }
    head = register_module("head", new LinearImpl(widths[widths.length - 1], classes));
  }

  private static ConvBnAct makeBlock(int in, int out) {
    return new ConvBnAct(in, out, in == out ? 1 : 2);
  }

  public Tensor forward(Tensor input) {
    Tensor y = stem.forward(input);
    for (ConvBnAct block : blocks) {
      Tensor out = block.forward(y);
      y = block.residual() ? out.add(y) : out;
    }
    y = y.mean(new long[] {2, 3});
    y = y.view(y.size(0), -1);
    return head.forward(y);
  }
}
