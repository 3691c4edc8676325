package dev.featurex.runtime.weights;

import dev.featurex.runtime.CheckpointFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/** Test access to package-private writers. */
public final class WeightsTestAccess {

  private WeightsTestAccess() {}

  /** Writes a torch zip archive whose every record has zip64 fields. */
  public static void writeZip64(Map<String, Tensor> tensors, Path file) throws IOException {
    CheckpointWriter.write(tensors, file, CheckpointFormat.TORCH_ZIP, true);
  }
}
