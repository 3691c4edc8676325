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
    return named(output) == NPY ? NPY : SAFETENSORS;
  }

  /**
   * The format whose extension ends the output's name ({@code .npy}, {@code .safetensors}, any
   * case), or null for another name.
   */
  public static OutputFormat named(Path output) {
    Path name = output.getFileName();
    String text = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    for (OutputFormat format : values()) {
      if (text.endsWith("." + format)) {
        return format;
      }
    }
    return null;
  }

  /** The name on the command line. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
