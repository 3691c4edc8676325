package dev.featurex.runtime;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipFile;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link StateDict#save} and {@link StateDict#write} in both written formats, read back by featurex
 * (Python's {@code torch.load} reads them in {@code samples/parity/checkpoints.sh}); and loads that
 * must fail with every weight left as it was (issue 14).
 */
class CheckpointSaveTest {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(
      value = CheckpointFormat.class,
      names = {"TORCH_ZIP", "SAFETENSORS"})
  void everyDtypeAndViewRoundTrips(CheckpointFormat format) throws IOException {
    Map<String, Tensor> tensors = StateDict.read(Checkpoints.copy("dtypes_zip.pt", dir));
    Path file = dir.resolve("out.bin");
    StateDict.write(tensors, file, format);
    assertThat(StateDict.formatOf(file)).isEqualTo(format);
    Checkpoints.assertTensors(StateDict.read(file), Checkpoints.expected("dtypes_expected.txt"));
  }

  @Test
  void zip64RecordsAreRead() throws IOException {
    Map<String, Tensor> tensors = StateDict.read(Checkpoints.copy("dtypes_zip.pt", dir));
    Path file = dir.resolve("zip64.pt");
    dev.featurex.runtime.weights.WeightsTestAccess.writeZip64(tensors, file);
    Checkpoints.assertTensors(StateDict.read(file), Checkpoints.expected("dtypes_expected.txt"));
  }

  @Test
  void nameChoosesTheSavedFormat() throws IOException {
    LinearImpl linear = new LinearImpl(2, 3);
    Path safetensors = dir.resolve("linear.safetensors");
    Path pt = dir.resolve("linear.pt");
    StateDict.save(linear, safetensors);
    StateDict.save(linear, pt);
    assertThat(StateDict.formatOf(safetensors)).isEqualTo(CheckpointFormat.SAFETENSORS);
    assertThat(StateDict.formatOf(pt)).isEqualTo(CheckpointFormat.TORCH_ZIP);
    LinearImpl copy = new LinearImpl(2, 3);
    StateDict.load(copy, safetensors);
    assertThat(torch.equal(copy.weight(), linear.weight())).isTrue();
  }

  @Test
  void zipArchiveUsesOnlyGlobalsOfTheWeightsOnlyLoader() throws IOException {
    Path file = dir.resolve("net.pt");
    StateDict.save(new StateDictTest.Net(3), file);
    try (ZipFile zip = new ZipFile(file.toFile())) {
      String pickle =
          new String(
              zip.getInputStream(zip.getEntry("archive/data.pkl")).readAllBytes(),
              StandardCharsets.ISO_8859_1);
      assertThat(pickle).contains("collections\nOrderedDict\n");
      assertThat(pickle).contains("torch._utils\n_rebuild_tensor_v2\n");
      assertThat(pickle).doesNotContain("restore_type_tag");
      assertThat(new String(zip.getInputStream(zip.getEntry("archive/byteorder")).readAllBytes()))
          .isEqualTo("little");
    }
  }

  @Test
  void legacyFormatIsNotWritten() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                StateDict.save(
                    new LinearImpl(1, 1), dir.resolve("l.pt"), CheckpointFormat.TORCH_LEGACY));
    assertThat(e).hasMessageThat().contains("does not write it; write TORCH_ZIP");
  }

  @Test
  void failedWriteLeavesTheOldFile() throws IOException {
    Path file = dir.resolve("keep.pt");
    StateDict.save(new LinearImpl(1, 1), file);
    byte[] before = Files.readAllBytes(file);
    Map<String, Tensor> bad = new LinkedHashMap<>();
    bad.put("ok", torch.ones(2));
    bad.put("complex", torch.ones(2).to(torch.ScalarType.ComplexFloat));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StateDict.write(bad, file));
    assertThat(e).hasMessageThat().startsWith("cannot save \"complex\": its dtype ComplexFloat");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  /** A Linear and a quantized buffer: the buffer's key and shape match, but no copy can land. */
  static final class QuantizedNet extends Module {
    final LinearImpl fc;

    QuantizedNet() {
      fc = register_module("fc", new LinearImpl(3, 2));
      register_buffer(
          "scale", torch.quantize_per_tensor(torch.ones(2), 0.1, 0, torch.ScalarType.QInt8));
    }
  }

  /** Issue 14: a strict load whose keys and shapes fit but one copy cannot land changes nothing. */
  @Test
  void strictLoadThatCannotCopyOneTensorChangesNoWeight() throws IOException {
    Map<String, Tensor> checkpoint = new LinkedHashMap<>();
    checkpoint.put("fc.weight", torch.full(new long[] {2, 3}, new Scalar(5.0)));
    checkpoint.put("fc.bias", torch.zeros(2));
    checkpoint.put("scale", torch.ones(2));
    Path file = dir.resolve("q.pt");
    StateDict.write(checkpoint, file);
    QuantizedNet model = new QuantizedNet();
    Tensor before = model.fc.weight().clone();

    StateDictMismatchException e =
        assertThrows(StateDictMismatchException.class, () -> StateDict.load(model, file));

    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "Error(s) in loading state_dict for QuantizedNet:"
                + "\n\tcannot load scale: the model's tensor is quantized (QInt8); featurex copies"
                + " only into dense tensors (dequantize or densify the model, or load with"
                + " LoadMode.NON_STRICT to skip it)");
    assertThat(e).hasMessageThat().doesNotContain("INTERNAL ASSERT");
    assertWithMessage("fc.weight").that(torch.equal(model.fc.weight(), before)).isTrue();
    assertThrows(
        StateDictMismatchException.class, () -> StateDict.load(model, checkpoint, LoadMode.STRICT));
    assertWithMessage("fc.weight").that(torch.equal(model.fc.weight(), before)).isTrue();
  }

  @Test
  void nonStrictLoadSkipsTheTensorThatCannotBeCopied() throws IOException {
    Map<String, Tensor> checkpoint = new LinkedHashMap<>();
    checkpoint.put("fc.weight", torch.full(new long[] {2, 3}, new Scalar(5.0)));
    checkpoint.put("scale", torch.ones(2));
    QuantizedNet model = new QuantizedNet();
    LoadResult result = StateDict.load(model, checkpoint, LoadMode.NON_STRICT);
    assertThat(result.loadedKeys()).containsExactly("fc.weight");
    assertThat(result.unloadable()).hasSize(1);
    assertThat(result.unloadable().get(0).key()).isEqualTo("scale");
    assertThat(model.fc.weight().sum().item_double()).isEqualTo(30.0);
  }

  /** The last storage fails its CRC only when read: the load must fail before its first copy. */
  @Test
  void damagedStorageFailsTheLoadBeforeAnyCopy() throws IOException {
    Map<String, Tensor> checkpoint = new LinkedHashMap<>(StateDict.of(new StateDictTest.Net(2)));
    checkpoint.put("fc.bias", torch.full(new long[] {2}, new Scalar(1234.5)));
    Path file = dir.resolve("net.pt");
    StateDict.write(checkpoint, file);
    byte[] bytes = Files.readAllBytes(file);
    byte[] pattern = {0, 80, -102, 68}; // 1234.5f, little-endian
    int at = indexOf(bytes, pattern);
    assertThat(at).isGreaterThan(0);
    bytes[at] ^= 1;
    Files.write(file, bytes);
    StateDictTest.Net model = new StateDictTest.Net(2);
    Tensor before = model.block.proj.weight().clone();

    StateDictFormatException e =
        assertThrows(StateDictFormatException.class, () -> StateDict.load(model, file));

    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            file
                + ": archive/data/13 fails its CRC-32 check: the file is corrupt (download it again)");
    assertThat(torch.equal(model.block.proj.weight(), before)).isTrue();
  }

  private static int indexOf(byte[] bytes, byte[] pattern) {
    for (int i = 0; i + pattern.length <= bytes.length; i++) {
      if (java.util.Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) {
        return i;
      }
    }
    return -1;
  }
}
