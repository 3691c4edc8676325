package dev.featurex.runtime;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile and damaged files: every one ends in a {@link StateDictFormatException} that names the
 * file (or, for a flipped byte that no format can detect, such as one inside safetensors data, in a
 * successful read), never in another exception, a crash, an {@link OutOfMemoryError} or a hang.
 * Mutations are seeded, so a failure reproduces.
 */
class CheckpointFuzzTest {

  private static final String[] FILES = {
    "net_zip.pt",
    "net_legacy.pt",
    "net.safetensors",
    "dtypes_zip.pt",
    "dtypes_legacy.pt",
    "dtypes.safetensors",
    "training_checkpoint.pt"
  };

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "net_zip.pt",
        "net_legacy.pt",
        "net.safetensors",
        "dtypes_zip.pt",
        "dtypes_legacy.pt",
        "dtypes.safetensors",
        "training_checkpoint.pt"
      })
  void everyTruncationIsRefused(String name) throws IOException {
    byte[] bytes = Files.readAllBytes(Checkpoints.copy(name, dir));
    Path cut = dir.resolve("cut");
    for (int length = 0; length < bytes.length; length += Math.max(1, bytes.length / 61)) {
      Files.write(cut, Arrays.copyOf(bytes, length));
      assertRefused(cut, name + " cut to " + length + " bytes");
    }
    for (int length = bytes.length - 16; length < bytes.length; length++) {
      Files.write(cut, Arrays.copyOf(bytes, length));
      assertRefused(cut, name + " cut to " + length + " bytes");
    }
  }

  @Test
  void flippedBytesAreRefusedOrReadNeverCrash() throws IOException {
    Random random = new Random(13);
    int refused = 0;
    int cases = 0;
    Path mutant = dir.resolve("mutant");
    for (String name : FILES) {
      byte[] original = Files.readAllBytes(Checkpoints.copy(name, dir));
      for (int i = 0; i < 60; i++) {
        byte[] bytes = original.clone();
        int at = random.nextInt(bytes.length);
        bytes[at] =
            random.nextBoolean()
                ? (byte) (bytes[at] ^ (1 << random.nextInt(8)))
                : (byte) random.nextInt();
        Files.write(mutant, bytes);
        cases++;
        refused += readOrRefuse(mutant, name + " with byte " + at + " set to " + bytes[at]) ? 0 : 1;
      }
    }
    // Most bytes are structure or CRC-checked data; only safetensors and legacy data go unnoticed.
    assertWithMessage("refused of " + cases).that(refused).isGreaterThan(cases / 2);
  }

  @Test
  void hugeDeclaredStorageIsRefusedBeforeAllocating() throws IOException {
    Path file =
        archive(
            PickleBytes.oneTensor(
                "FloatStorage", 1L << 50, 0, new long[] {1L << 50}, new long[] {1}));
    assertThat(assertRefused(file, "huge storage"))
        .contains("a/data/0 has 16 bytes but its storage of 1125899906842624 float32 needs");
  }

  @Test
  void viewReachingPastItsStorageIsRefused() throws IOException {
    long big = 1L << 31;
    Path file =
        archive(
            PickleBytes.oneTensor("FloatStorage", 4, 0, new long[] {big, big}, new long[] {1, 1}));
    assertThat(assertRefused(file, "view past storage"))
        .contains("reaches element 4294967294 of a/data/0");
  }

  @Test
  void overflowingShapeIsRefused() throws IOException {
    long big = 1L << 62;
    Path file =
        archive(
            PickleBytes.oneTensor(
                "FloatStorage", 4, 0, new long[] {big, big}, new long[] {big, 1}));
    assertThat(assertRefused(file, "overflow")).contains("sizes that overflow");
  }

  @Test
  void tooManyDimensionsAreRefused() throws IOException {
    long[] ones = new long[100];
    Arrays.fill(ones, 1);
    Path file = archive(PickleBytes.oneTensor("FloatStorage", 4, 0, ones, ones));
    assertThat(assertRefused(file, "100 dims")).contains("of 100 dimensions (at most 64)");
  }

  @Test
  void complexAndQuantizedStoragesAreRefusedByName() throws IOException {
    Path complex =
        archive(PickleBytes.oneTensor("ComplexFloatStorage", 2, 0, new long[] {2}, new long[] {1}));
    assertThat(assertRefused(complex, "complex"))
        .contains("refused to load the global torch.ComplexFloatStorage named in a/data.pkl");
    Path quantized =
        archive(PickleBytes.oneTensor("QInt8Storage", 16, 0, new long[] {16}, new long[] {1}));
    assertThat(assertRefused(quantized, "quantized"))
        .contains("quantized tensors are not supported");
  }

  @Test
  void globalOutsideTheAllowlistIsNeverCalled() throws IOException {
    byte[] pickle =
        PickleBytes.protocol2()
            .global("os", "system")
            .string("touch pwned")
            .op(0x85, 'R', '.')
            .bytes();
    Path file = archive(pickle);
    assertThat(assertRefused(file, "os.system"))
        .isEqualTo(
            file
                + ": refused to load the global os.system named in a/data.pkl: featurex builds only"
                + " the allowlisted globals of a state dict (tensors, storages, OrderedDict), like"
                + " torch.load(weights_only=True), so that no file can run code; if the file holds a"
                + " whole model (torch.save(model)), save its state dict instead:"
                + " torch.save(model.state_dict(), path)");
    assertThat(Files.exists(Path.of("pwned"))).isFalse();
  }

  @Test
  void deepNestingCostsNoStack() throws IOException {
    int depth = 300_000;
    PickleBytes lists = PickleBytes.protocol2();
    for (int i = 0; i < depth; i++) {
      lists.op(']');
    }
    for (int i = 1; i < depth; i++) {
      lists.op('a');
    }
    assertThat(assertRefused(archive(lists.op('.').bytes()), "nested lists"))
        .contains("the file holds a list");
    PickleBytes tuples = PickleBytes.protocol2();
    for (int i = 0; i < depth; i++) {
      tuples.op('(');
    }
    for (int i = 0; i < depth; i++) {
      tuples.op('t');
    }
    assertThat(assertRefused(archive(tuples.op('.').bytes()), "nested tuples"))
        .contains("the file holds a tuple");
  }

  @Test
  void malformedPicklesAreRefused() throws IOException {
    byte[][] pickles = {
      PickleBytes.protocol2().op('X', 0xff, 0xff, 0xff, 0x7f).bytes(), // a 2 GB string
      PickleBytes.protocol2().op('h', 7, '.').bytes(), // memo entry never stored
      PickleBytes.protocol2().op('a', '.').bytes(), // append to nothing
      PickleBytes.protocol2().op('t', '.').bytes(), // tuple without mark
      PickleBytes.protocol2().op(0xfe, '.').bytes(), // unknown opcode
      PickleBytes.protocol2().op(']', ']', '.').bytes(), // two values at STOP
      PickleBytes.protocol2().op('}', ']', ']', 's', '.').bytes(), // a list as a key
      PickleBytes.protocol2().op(0x8a, 0xff).bytes(), // a 255-byte integer
      PickleBytes.protocol2().op('}').bytes(), // no STOP
    };
    for (byte[] pickle : pickles) {
      assertRefused(archive(pickle), "pickle " + Arrays.toString(pickle));
    }
  }

  @Test
  void overlappingRecordsAreRefused() throws IOException {
    Path file =
        archive(PickleBytes.oneTensor("FloatStorage", 4, 0, new long[] {4}, new long[] {1}));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, duplicateCentralEntry(bytes, "a/data/0", "a/data/1"));
    assertThat(assertRefused(file, "overlap"))
        .contains("overlaps the record before it (a zip bomb?)");
  }

  @Test
  void deflateBombIsRefusedBeforeInflating() throws IOException {
    Path file = dir.resolve("bomb.pt");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      zip.putNextEntry(new ZipEntry("a/data.pkl"));
      zip.write(
          PickleBytes.oneTensor("FloatStorage", 1 << 22, 0, new long[] {1 << 22}, new long[] {1}));
      zip.putNextEntry(new ZipEntry("a/data/0"));
      zip.write(new byte[16 << 20]); // 16 MiB of zeros, deflated to ~16 KiB
      zip.closeEntry();
    }
    assertThat(Files.size(file)).isLessThan(100_000L);
    assertThat(assertRefused(file, "bomb")).contains("(a zip bomb?)");
  }

  @Test
  void deflatedArchiveWithinLimitsReads() throws IOException {
    Path file = dir.resolve("deflated.pt");
    byte[] values = new byte[4096];
    new Random(5).nextBytes(values);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      zip.putNextEntry(new ZipEntry("a/data.pkl"));
      zip.write(
          PickleBytes.oneTensor("ByteStorage", 4096, 0, new long[] {64, 64}, new long[] {64, 1}));
      zip.putNextEntry(new ZipEntry("a/data/0"));
      zip.write(values);
      zip.closeEntry();
    }
    double[] expected = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      expected[i] = values[i] & 0xff;
    }
    assertThat(Checkpoints.values(StateDict.read(file).get("w"))).isEqualTo(expected);
  }

  @Test
  void hostileSafetensorsHeadersAreRefused() throws IOException {
    String[] headers = {
      "{\"w\":{\"dtype\":\"F32\",\"shape\":[1099511627776],\"data_offsets\":[0,4398046511104]}}",
      "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}",
      "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,16]}}",
      "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"v\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
      "{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,16]}}",
      "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,16]}}",
      "[".repeat(100) + "]".repeat(100),
      "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}",
      "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16],}}",
    };
    for (String header : headers) {
      Path file = dir.resolve("h.safetensors");
      byte[] json = header.getBytes(StandardCharsets.UTF_8);
      ByteBuffer b = ByteBuffer.allocate(8 + json.length + 16).order(ByteOrder.LITTLE_ENDIAN);
      b.putLong(json.length).put(json);
      Files.write(file, b.array());
      assertRefused(file, header);
    }
    Path huge = dir.resolve("huge.safetensors");
    Files.write(
        huge,
        ByteBuffer.allocate(16)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(1L << 62)
            .put((byte) '{')
            .array());
    assertThat(assertRefused(huge, "huge header"))
        .contains("safetensors header of 4611686018427387904 bytes does not fit");
  }

  /** Reads {@code file}; true when it read, false when refused with a proper exception. */
  private static boolean readOrRefuse(Path file, String what) {
    try {
      StateDict.read(file);
      return true;
    } catch (StateDictFormatException e) {
      assertWithMessage(what).that(e).hasMessageThat().startsWith(file + ": ");
      return false;
    } catch (Throwable t) {
      throw new AssertionError(what + ": not a StateDictFormatException", t);
    }
  }

  /** Asserts that reading {@code file} is refused; returns the message. */
  private static String assertRefused(Path file, String what) {
    if (readOrRefuse(file, what)) {
      fail(what + ": read without an error");
    }
    return assertThrows(StateDictFormatException.class, () -> StateDict.read(file)).getMessage();
  }

  /** A torch zip archive {@code a/data.pkl} + a 16-byte {@code a/data/0}. */
  private Path archive(byte[] pickle) {
    Map<String, byte[]> records = new LinkedHashMap<>();
    records.put("a/data.pkl", pickle);
    records.put("a/data/0", new byte[16]);
    return PickleBytes.zip(dir.resolve("crafted.pt"), records);
  }

  /** {@code zip} with a second central entry for {@code name}'s data, named {@code copy}. */
  private static byte[] duplicateCentralEntry(byte[] zip, String name, String copy) {
    ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    int eocd = zip.length - 22;
    int count = b.getShort(eocd + 10);
    int size = b.getInt(eocd + 12);
    int start = b.getInt(eocd + 16);
    int at = start;
    while (at < start + size) {
      int length = 46 + b.getShort(at + 28) + b.getShort(at + 30) + b.getShort(at + 32);
      String entry = new String(zip, at + 46, b.getShort(at + 28), StandardCharsets.UTF_8);
      if (entry.equals(name)) {
        byte[] central = Arrays.copyOfRange(zip, at, at + length);
        System.arraycopy(copy.getBytes(StandardCharsets.UTF_8), 0, central, 46, copy.length());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(zip, 0, start + size);
        out.writeBytes(central);
        byte[] end = Arrays.copyOfRange(zip, eocd, zip.length);
        ByteBuffer e = ByteBuffer.wrap(end).order(ByteOrder.LITTLE_ENDIAN);
        e.putShort(8, (short) (count + 1))
            .putShort(10, (short) (count + 1))
            .putInt(12, size + length);
        out.writeBytes(end);
        return out.toByteArray();
      }
      at += length;
    }
    throw new IllegalArgumentException("no central entry " + name);
  }
}
