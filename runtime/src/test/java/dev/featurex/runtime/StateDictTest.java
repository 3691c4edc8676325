package dev.featurex.runtime;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.bytedeco.pytorch.BatchNorm1dImpl;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.CompilationUnit;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.QualifiedName;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StateDict} saves and loads like PyTorch's {@code state_dict} and {@code load_state_dict}.
 * Every file is written by the test into a temporary directory, except {@code ordered_dict.pt},
 * made by {@code make_ordered_dict.py} (Python torch 1.13.1) next to it in the test resources, and
 * the files of {@code checkpoints/} ({@link CheckpointFormatsTest}). No test runs Python.
 */
class StateDictTest {

  @TempDir Path dir;

  /** A BatchNorm2d, a nested module (a Linear and a BatchNorm1d) and a Linear head. */
  static final class Net extends Module {
    final BatchNorm2dImpl bn;
    final Block block;
    final LinearImpl fc;

    Net(long classes) {
      bn = register_module("bn", new BatchNorm2dImpl(new BatchNormOptions(3)));
      block = register_module("block", new Block());
      fc = register_module("fc", new LinearImpl(5, classes));
    }
  }

  /** The nested module. */
  static final class Block extends Module {
    final LinearImpl proj;
    final BatchNorm1dImpl norm;

    Block() {
      proj = register_module("proj", new LinearImpl(3, 5));
      norm = register_module("norm", new BatchNorm1dImpl(new BatchNormOptions(5)));
    }
  }

  /**
   * A net whose running statistics have moved away from their initial values, as after training.
   */
  private static Net trainedNet(long classes) {
    Net net = new Net(classes);
    net.train(true);
    for (int step = 0; step < 3; step++) {
      net.bn.forward(torch.randn(4, 3, 2, 2).mul(new Scalar(2.0)));
      net.block.norm.forward(torch.randn(4, 5).add(new Scalar(1.0)));
    }
    return net;
  }

  @Test
  void ofListsParametersThenBuffersModuleByModuleLikePyTorch() {
    assertThat(StateDict.of(new Net(2)).keySet())
        .containsExactly(
            "bn.weight",
            "bn.bias",
            "bn.running_mean",
            "bn.running_var",
            "bn.num_batches_tracked",
            "block.proj.weight",
            "block.proj.bias",
            "block.norm.weight",
            "block.norm.bias",
            "block.norm.running_mean",
            "block.norm.running_var",
            "block.norm.num_batches_tracked",
            "fc.weight",
            "fc.bias")
        .inOrder();
  }

  @Test
  void roundTripRestoresEveryParameterAndBuffer() throws IOException {
    Net saved = trainedNet(4);
    Path file = dir.resolve("net.pt");
    StateDict.save(saved, file);

    Net fresh = new Net(4);
    assertThat(torch.equal(fresh.fc.weight(), saved.fc.weight())).isFalse();
    assertThat(
            torch.equal(
                StateDict.of(fresh).get("bn.running_var"),
                StateDict.of(saved).get("bn.running_var")))
        .isFalse();
    LoadResult result = StateDict.load(fresh, file);

    Map<String, Tensor> expected = StateDict.of(saved);
    Map<String, Tensor> actual = StateDict.of(fresh);
    assertThat(result.loadedKeys()).containsExactlyElementsIn(expected.keySet()).inOrder();
    assertThat(result.isExact()).isTrue();
    for (String key : expected.keySet()) {
      assertWithMessage(key).that(torch.equal(actual.get(key), expected.get(key))).isTrue();
    }
    assertThat(actual.get("bn.num_batches_tracked").item_long()).isEqualTo(3);
  }

  @Test
  void saveWritesTheZipArchiveOfTorchSave() throws IOException {
    Path file = dir.resolve("net.pt");
    StateDict.save(new Net(2), file);
    List<String> names = new ArrayList<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      zip.stream().forEach(entry -> names.add(entry.getName()));
    }
    assertThat(names).containsAtLeast("archive/data.pkl", "archive/version", "archive/data/0");
    assertThat(StateDict.read(file).get("fc.bias").requires_grad()).isFalse();
  }

  @Test
  void sameTensorsSaveToSameBytes() throws IOException {
    Net net = trainedNet(3);
    Path first = dir.resolve("first.pt");
    Path second = dir.resolve("second.pt");
    StateDict.save(net, first);
    StateDict.save(net, second);
    assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
  }

  @Test
  void eachSaveWritesOnlyItsOwnTensors() throws IOException {
    Path first = dir.resolve("first.pt");
    Path second = dir.resolve("second.pt");
    StateDict.save(new LinearImpl(2, 3), first);
    StateDict.write(Map.of("only", torch.ones(1)), second);
    assertThat(StateDict.read(first).keySet()).containsExactly("weight", "bias").inOrder();
    assertThat(StateDict.read(second).keySet()).containsExactly("only");
  }

  /** Issue 14: a record shorter than its tensor needs must never be read past its end. */
  @Test
  void truncatedTensorRecordIsRejected() throws IOException {
    Path file = dir.resolve("w.pt");
    StateDict.write(Map.of("w", torch.ones(4)), file);
    Path corrupt = dir.resolve("corrupt.pt");
    truncateRecord(file, "archive/data/0", 4, corrupt);
    StateDictFormatException e =
        assertThrows(StateDictFormatException.class, () -> StateDict.read(corrupt));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            corrupt
                + ": archive/data/0 has 4 bytes but its storage of 4 float32 needs 16;"
                + " the file is truncated or corrupt");
  }

  @Test
  void undefinedTensorIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StateDict.write(Map.of("w", new Tensor()), dir.resolve("w.pt")));
    assertThat(e).hasMessageThat().isEqualTo("the tensor for \"w\" is undefined");
  }

  @Test
  void strictLoadListsAllProblemsAtOnceAndCopiesNothing() throws IOException {
    Path file = writeMismatchedCheckpoint();
    Net model = new Net(20);
    Map<String, Tensor> before = snapshot(model);

    StateDictMismatchException e =
        assertThrows(StateDictMismatchException.class, () -> StateDict.load(model, file));

    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "Error(s) in loading state_dict for Net:"
                + "\n\tMissing key(s) in state_dict: \"fc.bias\"."
                + "\n\tUnexpected key(s) in state_dict: \"head.weight\", \"head.bias\"."
                + "\n\tsize mismatch for fc.weight: copying a param with shape [10, 5] from checkpoint,"
                + " the shape in current model is [20, 5].");
    assertThat(e.problems().missingKeys()).containsExactly("fc.bias");
    Map<String, Tensor> after = StateDict.of(model);
    for (String key : before.keySet()) {
      assertWithMessage(key).that(torch.equal(after.get(key), before.get(key))).isTrue();
    }
  }

  @Test
  void nonStrictLoadCopiesWhatFitsAndReportsTheRest() throws IOException {
    Path file = writeMismatchedCheckpoint();
    Map<String, Tensor> checkpoint = StateDict.read(file);
    Net model = new Net(20);
    Map<String, Tensor> before = snapshot(model);

    LoadResult result = StateDict.load(model, file, LoadMode.NON_STRICT);

    assertThat(result.missingKeys()).containsExactly("fc.bias");
    assertThat(result.unexpectedKeys()).containsExactly("head.weight", "head.bias").inOrder();
    assertThat(result.sizeMismatches())
        .containsExactly(
            new LoadResult.SizeMismatch("fc.weight", List.of(10L, 5L), List.of(20L, 5L)));
    assertThat(result.loadedKeys()).contains("block.norm.running_var");
    assertThat(result.loadedKeys()).containsNoneOf("fc.weight", "fc.bias", "head.weight");
    Map<String, Tensor> after = StateDict.of(model);
    for (String key : result.loadedKeys()) {
      assertWithMessage(key).that(torch.equal(after.get(key), checkpoint.get(key))).isTrue();
    }
    assertThat(torch.equal(after.get("fc.weight"), before.get("fc.weight"))).isTrue();
    assertThat(torch.equal(after.get("fc.bias"), before.get("fc.bias"))).isTrue();
  }

  @Test
  void orderedDictOfPythonLoads() throws IOException {
    Path file = dir.resolve("ordered_dict.pt");
    try (InputStream in = StateDictTest.class.getResourceAsStream("/ordered_dict.pt")) {
      Files.copy(in, file);
    }
    LinearImpl linear = new LinearImpl(2, 2);
    StateDict.load(linear, file);
    assertThat(
            torch.equal(
                linear.weight(),
                torch.arange(new Scalar(4)).reshape(2, 2).to(torch.ScalarType.Float)))
        .isTrue();
    assertThat(linear.bias().abs().sum().item_double()).isEqualTo(0.0);
  }

  @Test
  void missingFileIsNoSuchFile() {
    Path file = dir.resolve("absent.pt");
    NoSuchFileException e =
        assertThrows(NoSuchFileException.class, () -> StateDict.load(new Net(2), file));
    assertThat(e).hasMessageThat().isEqualTo(file + ": no such state dict file");
  }

  @Test
  void fileThatIsNotAnArchiveIsRejected() throws IOException {
    Path file =
        Files.writeString(dir.resolve("notes.pt"), "not a checkpoint", StandardCharsets.UTF_8);
    StateDictFormatException e =
        assertThrows(StateDictFormatException.class, () -> StateDict.read(file));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            file
                + ": not a checkpoint: featurex reads the zip archives of torch.save, its legacy"
                + " format and safetensors, and this file is none of them (it starts with"
                + " 6e 6f 74 20 61 20 63 68)");
  }

  @Test
  void entryThatIsNotATensorIsRejected() throws IOException {
    Path file =
        pickled("def make() -> Dict[str, int]:\n    return {'epoch': 3}\n", "checkpoint.pt");
    StateDictFormatException e =
        assertThrows(StateDictFormatException.class, () -> StateDict.read(file));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            file
                + ": the file holds a checkpoint, not a state dict: none of its entries"
                + " [state_dict, model_state_dict, model] is a dict of tensors; it holds \"epoch\""
                + " (an int); name the entry to load with LoadOptions.strict().withEntry(\"...\")");
  }

  @Test
  void trainingCheckpointOfLibtorchsPicklerYieldsItsStateDict() throws IOException {
    Path file =
        pickled(
            "def make() -> Dict[str, Dict[str, Tensor]]:\n"
                + "    return {'model': {'w': torch.ones(1)}}\n",
            "checkpoint.pt");
    Map<String, Tensor> tensors = StateDict.read(file);
    assertThat(tensors.keySet()).containsExactly("w");
    assertThat(tensors.get("w").item_double()).isEqualTo(1.0);
  }

  @Test
  void fileHoldingATensorIsRejected() throws IOException {
    Path file = pickled("def make() -> Tensor:\n    return torch.zeros(2)\n", "tensor.pt");
    StateDictFormatException e =
        assertThrows(StateDictFormatException.class, () -> StateDict.read(file));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            file
                + ": the file holds a Tensor, not a dict of tensors; in Python, save a state dict:"
                + " torch.save(model.state_dict(), path)");
  }

  @Test
  void builtInModulesAreNamedAsLibtorchNamesThem() throws IOException {
    Path file = dir.resolve("linear.pt");
    StateDict.save(new LinearImpl(2, 3), file);
    StateDictMismatchException e =
        assertThrows(
            StateDictMismatchException.class, () -> StateDict.load(new LinearImpl(2, 4), file));
    assertThat(e)
        .hasMessageThat()
        .startsWith("Error(s) in loading state_dict for torch::nn::LinearImpl:");
  }

  /** A checkpoint of {@code Net(10)} without {@code fc.bias} and with a {@code head}. */
  private Path writeMismatchedCheckpoint() throws IOException {
    Map<String, Tensor> checkpoint = new LinkedHashMap<>(StateDict.of(trainedNet(10)));
    checkpoint.remove("fc.bias");
    checkpoint.put("head.weight", torch.randn(3, 5));
    checkpoint.put("head.bias", torch.zeros(3));
    Path file = dir.resolve("mismatched.pt");
    StateDict.write(checkpoint, file);
    return file;
  }

  /** Copies of the model's tensors, to compare after a load. */
  private static Map<String, Tensor> snapshot(Module model) {
    Map<String, Tensor> copies = new LinkedHashMap<>();
    StateDict.of(model).forEach((key, tensor) -> copies.put(key, tensor.clone()));
    return copies;
  }

  /**
   * Copies the zip archive {@code from} to {@code to}, keeping {@code length} bytes of {@code
   * record}.
   */
  private static void truncateRecord(Path from, String record, int length, Path to)
      throws IOException {
    try (ZipFile zip = new ZipFile(from.toFile());
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        byte[] data = zip.getInputStream(entry).readAllBytes();
        if (entry.getName().equals(record)) {
          data = Arrays.copyOf(data, length);
        }
        // libtorch's reader wants stored records, whose size and CRC come first.
        ZipEntry copy = new ZipEntry(entry.getName());
        CRC32 crc = new CRC32();
        crc.update(data);
        copy.setMethod(ZipEntry.STORED);
        copy.setSize(data.length);
        copy.setCrc(crc.getValue());
        out.putNextEntry(copy);
        out.write(data);
        out.closeEntry();
      }
    }
  }

  /** Writes what the TorchScript function {@code make} returns, as libtorch's pickle_save. */
  private Path pickled(String source, String name) throws IOException {
    CompilationUnit unit = torch.compile(source);
    IValue value = unit.get_function(new QualifiedName("make")).apply(new IValueVector());
    Path file = dir.resolve(name);
    Files.write(file, torch.pickle_save(value).get());
    return file;
  }
}
