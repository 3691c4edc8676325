package dev.featurex.runtime.internal;

import java.util.function.Supplier;

/**
 * The guard nodes of generated code: a check the model's {@code forward} makes on its input ({@code
 * if (h != imageSize) throw new IllegalArgumentException(...)}), kept as torch.fx keeps its {@code
 * _assert}.
 */
public final class Guards {

  private Guards() {}

  /**
   * Throws what {@code exception} makes when {@code failed}; the node's value otherwise.
   *
   * @return {@code true}
   */
  public static boolean check(boolean failed, Supplier<? extends RuntimeException> exception) {
    if (failed) {
      throw exception.get();
    }
    return true;
  }
}
