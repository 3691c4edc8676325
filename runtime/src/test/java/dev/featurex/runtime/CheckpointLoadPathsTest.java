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
      w = register_buffer("w", torch.zeros(N).to(type));
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
