package dev.featurex.runtime;

/**
 * How {@link StateDict#load(org.bytedeco.pytorch.Module, java.nio.file.Path, LoadMode)} treats a
 * state dict that does not fit the model exactly, like the {@code strict} argument of PyTorch's
 * {@code load_state_dict}.
 */
public enum LoadMode {

  /**
   * Every key of the model must be in the state dict, every key of the state dict must be in the
   * model, and every shape must match; otherwise nothing is copied and {@link
   * StateDictMismatchException} lists all the problems at once. PyTorch's {@code strict=True}.
   */
  STRICT,

  /**
   * Copies every tensor whose key is in the model and whose shape matches, and reports the rest in
   * the {@link LoadResult}: missing keys keep the model's values, unexpected keys are ignored, and
   * tensors whose shape differs are <em>skipped</em>. The last point differs from PyTorch, whose
   * {@code strict=False} still raises on a size mismatch: here it is reported, so that a backbone
   * loads into a model with a different head (a classifier for 10 classes instead of 1000) without
   * editing the file.
   */
  NON_STRICT
}
