package dev.featurex.cli.output;

import java.nio.file.Path;
import java.util.Locale;

/** The formats {@code extract} writes. */
public enum OutputFormat {
  /**
   * One safetensors file holding one float32 tensor per key ({@code N x ...}), with the model, the
   * nodes and the preprocessing in its {@code __metadata__}.
   */
  SAFETENSORS,
  /**
   * NumPy's {@code .npy}: the output file itself for one key; for several keys one file per key,
   * {@code <stem>.<key>.npy}, beside it.
   */
  NPY;

  /** The format the output's name suggests: {@code .npy} for NPY, anything else safetensors. */
  public static OutputFormat forName(Path output) {
    return output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")
        ? NPY
        : SAFETENSORS;
  }

  /** The name on the command line. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
