package dev.featurex.samples.other;

import dev.featurex.annotations.ExtractFeatures;
import dev.featurex.samples.library.LibraryBlock;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * A model using a block without source in this compilation (a leaf, with children the processor
 * cannot know), and a module registered under two names (libtorch lists it under both).
 */
@ExtractFeatures({"block:hidden", "head:out"})
public class UsesLibraryBlock extends Module {

  private final LibraryBlock block = register_module("block", new LibraryBlock());
  private final LinearImpl head = register_module("head", new LinearImpl(4, 2));

  /** A model whose head is also registered as {@code alias}. */
  public UsesLibraryBlock() {
    register_module("alias", head);
  }

  /** The block, then the head. */
  public Tensor forward(Tensor x) {
    return head.forward(block.forward(x));
  }
}
