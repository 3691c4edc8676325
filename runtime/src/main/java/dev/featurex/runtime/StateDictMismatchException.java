package dev.featurex.runtime;

/**
 * A {@link LoadMode#STRICT} load found a state dict that does not fit the model. The message lists
 * every problem at once, in PyTorch's words ({@code Error(s) in loading state_dict for ResNet:
 * Missing key(s) in state_dict: "fc.bias". ...}); nothing was copied.
 */
public final class StateDictMismatchException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient LoadResult problems;

  /**
   * An exception for {@code problems}, which is not {@linkplain LoadResult#isExact() exact}.
   *
   * @param modelName the model's class name, for the message
   * @param problems what did not fit; its {@code loadedKeys} are the keys that would have loaded
   */
  public StateDictMismatchException(String modelName, LoadResult problems) {
    super(problems.describeProblems(modelName));
    this.problems = problems;
  }

  /**
   * What did not fit, as data: missing keys, unexpected keys and size mismatches; {@code
   * loadedKeys} holds the keys that would have been copied.
   */
  public LoadResult problems() {
    return problems;
  }
}
