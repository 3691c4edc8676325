package dev.featurex.runtime;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The files of Python's torch 1.13 ({@code src/test/resources/checkpoints/}, made by {@code
 * make_checkpoints.py}) read in pure Java: every format, every dtype, shared storages and views,
 * training checkpoints, and the files that must be refused.
 */
class CheckpointFormatsTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"net_zip.pt", "net_legacy.pt", "net.safetensors"})
  void stateDictOfEachFormatReadsAsPythonSavedIt(String name) throws IOException {
    Checkpoints.assertTensors(
        StateDict.read(Checkpoints.copy(name, dir)), Checkpoints.expected("net_expected.txt"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"dtypes_zip.pt", "dtypes_legacy.pt", "dtypes.safetensors", "dtypes_big_endian.pt"})
  void everyDtypeAndViewReadsAsPythonSavedIt(String name) throws IOException {
    Checkpoints.assertTensors(
        StateDict.read(Checkpoints.copy(name, dir)), Checkpoints.expected("dtypes_expected.txt"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dtypes_zip.pt", "dtypes_legacy.pt"})
  void viewsShareTheirStorageAsInPython(String name) throws IOException {
    Map<String, Tensor> tensors = StateDict.read(Checkpoints.copy(name, dir));
    Tensor base = tensors.get("base");
    assertThat(tensors.get("rows").data_ptr().address())
        .isEqualTo(base.data_ptr().address() + 6 * 4);
    assertThat(tensors.get("transposed").stride(0)).isEqualTo(1);
    base.fill_(new org.bytedeco.pytorch.Scalar(7.0));
    assertThat(tensors.get("column").sum().item_double()).isEqualTo(7.0 * 4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"net_zip.pt", "net_legacy.pt", "net.safetensors"})
  void eachFormatLoadsIntoTheJavaModel(String name) throws IOException {
    StateDictTest.Net net = new StateDictTest.Net(4);
    long version = net.fc.weight()._version();
    LoadResult result = StateDict.load(net, Checkpoints.copy(name, dir));
    assertThat(result.isExact()).isTrue();
    Checkpoints.assertTensors(StateDict.of(net), Checkpoints.expected("net_expected.txt"));
    // Read straight into the model's memory, the write still counts as an in-place change.
    assertThat(net.fc.weight()._version()).isGreaterThan(version);
  }

  @Test
  void formatComesFromTheContentNotTheName() throws IOException {
    Path zip = Checkpoints.copy("net_zip.pt", dir).resolveSibling("net_zip.pt");
    Path renamed = java.nio.file.Files.copy(zip, dir.resolve("weights.safetensors"));
    assertThat(StateDict.formatOf(renamed)).isEqualTo(CheckpointFormat.TORCH_ZIP);
    assertThat(StateDict.formatOf(Checkpoints.copy("net_legacy.pt", dir)))
        .isEqualTo(CheckpointFormat.TORCH_LEGACY);
    Path safetensors = Checkpoints.copy("net.safetensors", dir);
    Path named = java.nio.file.Files.copy(safetensors, dir.resolve("net.pt"));
    assertThat(StateDict.formatOf(named)).isEqualTo(CheckpointFormat.SAFETENSORS);
    Checkpoints.assertTensors(StateDict.read(renamed), Checkpoints.expected("net_expected.txt"));
  }

  @Test
  void trainingCheckpointLoadsItsStateDictWithoutTheDataParallelPrefix() throws IOException {
    StateDictTest.Net net = new StateDictTest.Net(4);
    LoadResult result = StateDict.load(net, Checkpoints.copy("training_checkpoint.pt", dir));
    assertThat(result.loadedKeys()).contains("block.norm.running_var");
    Checkpoints.assertTensors(StateDict.of(net), Checkpoints.expected("net_expected.txt"));
  }

  @Test
  void trainingCheckpointReadsWithItsPrefixUnlessToldToStripIt() throws IOException {
    Path file = Checkpoints.copy("training_checkpoint.pt", dir);
    assertThat(StateDict.read(file).keySet()).contains("module.fc.weight");
    Map<String, Tensor> stripped =
        StateDict.read(
            file, LoadOptions.strict().withEntry("state_dict").withPrefixStripped("module."));
    Checkpoints.assertTensors(stripped, Checkpoints.expected("net_expected.txt"));
  }

  @Test
  void namedEntryThatIsNotADictListsTheCheckpoint() throws IOException {
    Path file = Checkpoints.copy("training_checkpoint.pt", dir);
    StateDictFormatException e =
        assertThrows(
            StateDictFormatException.class,
            () -> StateDict.read(file, LoadOptions.strict().withEntry("epoch")));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            file
                + ": the checkpoint has no dict entry \"epoch\"; it holds \"epoch\" (an int),"
                + " \"arch\" (a str), \"state_dict\" (an OrderedDict), \"best_acc1\" (a Tensor),"
                + " \"optimizer\" (a dict), \"scheduler\" (a dict)");
  }

  @Test
  void twoCandidateStateDictsAreAmbiguousUntilOneIsNamed() throws IOException {
    Path file = Checkpoints.copy("two_state_dicts.pt", dir);
    StateDictFormatException e =
        assertThrows(
            StateDictFormatException.class, () -> StateDict.load(new StateDictTest.Net(4), file));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            file
                + ": the file holds a checkpoint, not a state dict: its entries [model_state_dict,"
                + " model] are all dicts of tensors; it holds \"model\" (an OrderedDict),"
                + " \"model_state_dict\" (an OrderedDict); name the entry to load with"
                + " LoadOptions.strict().withEntry(\"...\")");
    StateDictTest.Net net = new StateDictTest.Net(4);
    StateDict.load(net, file, LoadOptions.strict().withEntry("model"));
    Checkpoints.assertTensors(StateDict.of(net), Checkpoints.expected("net_expected.txt"));
  }

  @Test
  void pickledModelIsRefusedNamingItsClass() throws IOException {
    Path file = Checkpoints.copy("whole_model.pt", dir);
    StateDictFormatException e =
        assertThrows(StateDictFormatException.class, () -> StateDict.read(file));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            file
                + ": refused to load the global __main__.Net named in whole_model/data.pkl:"
                + " featurex builds only the allowlisted globals of a state dict (tensors,"
                + " storages, OrderedDict), like torch.load(weights_only=True), so that no file can"
                + " run code; if the file holds a whole model (torch.save(model)), save its state"
                + " dict instead: torch.save(model.state_dict(), path)");
  }

  @Test
  void tensorsAreDetachedAndOwnTheirMemory() throws IOException {
    Map<String, Tensor> tensors = StateDict.read(Checkpoints.copy("dtypes_zip.pt", dir));
    Tensor parameter = tensors.get("parameter");
    assertThat(parameter.requires_grad()).isFalse();
    System.gc();
    assertWithMessage("values after GC")
        .that(torch.equal(parameter, torch.ones(2, 2).mul(new org.bytedeco.pytorch.Scalar(3.0))))
        .isTrue();
  }
}
