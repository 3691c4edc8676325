package dev.featurex.runtime;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ways a tensor travels from a file into a model, each with records larger than the chunk the
 * readers checksum at a time (256 KiB): read straight into the model's memory after a CRC pass, or
 * staged in a new tensor with the CRC computed chunk by chunk as the bytes land (stored or
 * inflated), then copied. A damaged byte in any chunk is refused before the model changes.
 */
class CheckpointLoadPathsTest {

  /** 300,000 float32 elements: 1.2 MB, five chunks. */
  private static final long N = 300_000;

  @TempDir Path dir;

  /** One buffer {@code w} of {@code N} elements of {@code type}, zero. */
  static final class OneBuffer extends Module {
    private final Tensor w;

    OneBuffer(ScalarType type) {
      w = new Tensor(register_buffer("w", torch.zeros(N).to(type)));
    }

    Tensor w() {
      return w;
    }
  }

  @Test
  void everyPathLoadsTheFilesValues() throws IOException {
    Tensor values = torch.arange(new Scalar(N)).to(ScalarType.Float);
    Path file = dir.resolve("w.pt");
    StateDict.write(Map.of("w", values), file);
    for (ScalarType type : new ScalarType[] {ScalarType.Float, ScalarType.Double}) {
      OneBuffer model = new OneBuffer(type); // Float: read in place; Double: staged, converted
      StateDict.load(model, file);
      assertWithMessage(type.toString()).that(torch.equal(model.w(), values.to(type))).isTrue();
    }
  }

  @Test
  void damagedByteInALaterChunkIsRefusedOnEveryPath() throws IOException {
    Tensor values = torch.arange(new Scalar(N)).to(ScalarType.Float);
    Path file = dir.resolve("w.pt");
    StateDict.write(Map.of("w", values), file);
    byte[] bytes = Files.readAllBytes(file);
    byte[] pattern =
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(250_000f).array();
    int at = indexOf(bytes, pattern); // byte 1,000,000 of the record: its fourth chunk
    assertThat(at).isGreaterThan(1_000_000);
    bytes[at] ^= 1;
    Files.write(file, bytes);
    String refusal = file + ": archive/data/0 fails its CRC-32 check: the file is corrupt";

    assertThat(assertThrows(StateDictFormatException.class, () -> StateDict.read(file)))
        .hasMessageThat()
        .startsWith(refusal);
    for (ScalarType type : new ScalarType[] {ScalarType.Float, ScalarType.Double}) {
      OneBuffer model = new OneBuffer(type);
      assertThat(assertThrows(StateDictFormatException.class, () -> StateDict.load(model, file)))
          .hasMessageThat()
          .startsWith(refusal);
      assertWithMessage(type + " unchanged").that(model.w().abs().sum().item_double()).isEqualTo(0);
    }
  }

  /** Five buffers of 1 MiB: enough for a load to read on several threads. */
  static final class FiveBuffers extends Module {
    final Tensor[] w = new Tensor[5];

    FiveBuffers() {
      for (int i = 0; i < w.length; i++) {
        // A handle of our own: register_buffer's refers into a vector the next one may move.
        w[i] = new Tensor(register_buffer("w" + i, torch.zeros(1 << 18)));
      }
    }
  }

  private Path fiveBuffersFile() throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (int i = 0; i < 5; i++) {
      Tensor values = torch.arange(new Scalar(1 << 18)).add(new Scalar(i << 18)); // disjoint
      tensors.put("w" + i, values.to(ScalarType.Float));
    }
    Path file = dir.resolve("five.pt");
    StateDict.write(tensors, file);
    return file;
  }

  @Test
  void loadsOnSeveralThreadsGiveTheFilesValues() throws IOException {
    Path file = fiveBuffersFile();
    Map<String, Tensor> expected = StateDict.read(file);
    for (int threads : new int[] {1, 2, 3, 8}) {
      FiveBuffers model = new FiveBuffers();
      StateDict.load(model, file, LoadOptions.strict().withThreads(threads));
      for (int i = 0; i < 5; i++) {
        assertWithMessage(threads + " threads, w" + i)
            .that(torch.equal(model.w[i], expected.get("w" + i)))
            .isTrue();
      }
    }
  }

  @Test
  void loadOnSeveralThreadsReportsTheFirstDamagedRecordAndChangesNothing() throws IOException {
    Path file = fiveBuffersFile();
    byte[] bytes = Files.readAllBytes(file);
    for (float value : new float[] {(4 << 18) + 200_000f, (1 << 18) + 100_000f}) { // w4, w1
      byte[] pattern =
          ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array();
      bytes[indexOf(bytes, pattern)] ^= 1;
    }
    Files.write(file, bytes);
    for (int threads : new int[] {1, 2, 4}) {
      FiveBuffers model = new FiveBuffers();
      StateDictFormatException e =
          assertThrows(
              StateDictFormatException.class,
              () -> StateDict.load(model, file, LoadOptions.strict().withThreads(threads)));
      assertThat(e).hasMessageThat().contains("archive/data/1 fails its CRC-32 check");
      for (Tensor w : model.w) {
        assertWithMessage(threads + " threads").that(w.abs().sum().item_double()).isEqualTo(0);
      }
    }
  }

  /** One 4 MB tensor registered under two names, as tied weights are, a view of it, and another. */
  static final class Tied extends Module {
    final Tensor w = new Tensor(register_buffer("a", torch.zeros(1 << 20)));

    Tied() {
      register_buffer("b", w);
      register_buffer("tail", w.narrow(0, (1 << 20) - 4, 4));
      register_buffer("other", torch.zeros(4));
    }
  }

  @Test
  void tensorUnderTwoNamesGetsTheLaterKeysValuesOnAnyThreads() throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("a", torch.full(new long[] {1 << 20}, new Scalar(1.0)));
    tensors.put("b", torch.full(new long[] {1 << 20}, new Scalar(2.0)));
    tensors.put("tail", torch.full(new long[] {4}, new Scalar(3.0)));
    tensors.put("other", torch.full(new long[] {4}, new Scalar(4.0)));
    Path file = dir.resolve("tied.pt");
    StateDict.write(tensors, file);
    for (int threads : new int[] {1, 2, 4}) {
      Tied model = new Tied();
      StateDict.load(model, file, LoadOptions.strict().withThreads(threads));
      Tensor expected = tensors.get("b").clone(); // copied in the file's order, as copy_ would
      expected.narrow(0, (1 << 20) - 4, 4).fill_(new Scalar(3.0));
      assertWithMessage(threads + " threads").that(torch.equal(model.w, expected)).isTrue();
    }
  }

  @Test
  void tensorsSharingMemoryAreFound() {
    Tied model = new Tied();
    try (PointerScope scope = new PointerScope()) {
      StateDictTargets targets = new StateDictTargets(model);
      assertThat(StateDictLoader.sharingMemory(List.of("other", "tail", "a", "b"), targets))
          .containsExactly("a", "b", "tail");
      assertThat(StateDictLoader.sharingMemory(List.of("other", "a"), targets)).isEmpty();
    }
  }

  @Test
  void threadCountMustBePositive() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.strict().withThreads(0));
    assertThat(e).hasMessageThat().isEqualTo("threads must be at least 1, not 0");
    assertThat(LoadOptions.strict().threads().isPresent()).isFalse();
    assertThat(LoadOptions.nonStrict().withThreads(3).withEntry("ema").threads().getAsInt())
        .isEqualTo(3);
  }

  @Test
  void deflatedRecordIsCheckedAsItInflates() throws IOException {
    byte[] data = new byte[700_000]; // random bytes: three chunks inflated, none compressible
    new Random(3).nextBytes(data);
    Path file = deflated(data);
    Tensor read = StateDict.read(file).get("w");
    byte[] back = new byte[data.length];
    new BytePointer(read.contiguous().data_ptr()).capacity(back.length).asByteBuffer().get(back);
    assertThat(back).isEqualTo(data);

    patchCentralCrc(file, "a/data/0");
    assertThat(assertThrows(StateDictFormatException.class, () -> StateDict.read(file)))
        .hasMessageThat()
        .isEqualTo(
            file + ": a/data/0 fails its CRC-32 check: the file is corrupt (download it again)");
  }

  @Test
  void modelTensorsAreFoundWithoutANativeObjectPerTensor() {
    // JavaCPP reads /proc/self/statm for every native object it allocates (several microseconds):
    // a load finds the model's tensors in libtorch's two dicts instead of copying out a handle and
    // a key string per tensor, as StateDict.of does.
    Module model = new Module();
    for (int i = 0; i < 40; i++) {
      model.register_module("fc" + i, new LinearImpl(4, 4));
    }
    List<String> keys = List.copyOf(StateDict.of(model).keySet());
    try (PointerScope scope = new PointerScope()) {
      long before = Pointer.totalCount();
      StateDictTargets targets = new StateDictTargets(model);
      for (String key : keys) {
        long dims = key.endsWith("weight") ? 2 : 1;
        assertWithMessage(key).that(targets.find(key).dim()).isEqualTo(dims);
      }
      assertThat(targets.find("fc0.running_mean")).isNull();
      assertThat(targets.size()).isEqualTo(80);
      assertThat(Pointer.totalCount() - before).isAtMost(2L);
    }
  }

  @Test
  void picklesMemoEntriesMayBeSparseOrMany() throws IOException {
    PickleBytes many = PickleBytes.protocol2().op('}');
    for (int i = 0; i < 300; i++) {
      many.op('r', i & 0xff, i >> 8, 0, 0); // LONG_BINPUT 0..299: the memo grows past its start
    }
    many.op('0', 'j', 0x2b, 0x01, 0, 0, '.'); // POP, LONG_BINGET 299
    assertThat(StateDict.read(zip(many.bytes()))).isEmpty();

    PickleBytes sparse = PickleBytes.protocol2().op('}');
    sparse.op('r', 0xf0, 0xff, 0xff, 0xff); // LONG_BINPUT 4294967280: a map entry, no array
    sparse.op(0x94); // MEMOIZE: the memo holds one entry, so this is entry 1
    sparse.op('0', 'h', 1, '.'); // POP, BINGET 1
    assertThat(StateDict.read(zip(sparse.bytes()))).isEmpty();
  }

  private Path zip(byte[] pickle) {
    Map<String, byte[]> records = new LinkedHashMap<>();
    records.put("a/data.pkl", pickle);
    return PickleBytes.zip(dir.resolve("memo.pt"), records);
  }

  /** A torch zip archive whose uint8 storage {@code a/data/0} is deflated. */
  private Path deflated(byte[] data) throws IOException {
    Path file = dir.resolve("deflated.pt");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      zip.putNextEntry(new ZipEntry("a/data.pkl"));
      long n = data.length;
      zip.write(PickleBytes.oneTensor("ByteStorage", n, 0, new long[] {n}, new long[] {1}));
      zip.putNextEntry(new ZipEntry("a/data/0"));
      zip.write(data);
      zip.closeEntry();
    }
    return file;
  }

  /** Changes the CRC-32 that the central directory records for {@code name}. */
  private static void patchCentralCrc(Path file, String name) throws IOException {
    byte[] zip = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    int eocd = zip.length - 22;
    int at = b.getInt(eocd + 16);
    while (b.getInt(at) == 0x02014b50) {
      int nameLength = b.getShort(at + 28);
      if (new String(zip, at + 46, nameLength, StandardCharsets.UTF_8).equals(name)) {
        b.putInt(at + 16, b.getInt(at + 16) ^ 1);
        Files.write(file, zip);
        return;
      }
      at += 46 + nameLength + b.getShort(at + 30) + b.getShort(at + 32);
    }
    throw new IllegalArgumentException("no central entry " + name);
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
