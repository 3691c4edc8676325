package dev.featurex.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Hand-made pickles and zip archives, for the inputs no honest writer produces. */
final class PickleBytes {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A pickle that starts with PROTO 2. */
  static PickleBytes protocol2() {
    return new PickleBytes().op(0x80, 2);
  }

  PickleBytes op(int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
    return this;
  }

  PickleBytes global(String module, String name) {
    op('c');
    out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  PickleBytes string(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    op(
        'X',
        bytes.length & 0xff,
        (bytes.length >> 8) & 0xff,
        (bytes.length >> 16) & 0xff,
        bytes.length >>> 24);
    out.writeBytes(bytes);
    return this;
  }

  /** BININT (4 bytes) or LONG1 (8 bytes). */
  PickleBytes integer(long v) {
    if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      return op(
          'J',
          (int) v & 0xff,
          (int) (v >> 8) & 0xff,
          (int) (v >> 16) & 0xff,
          (int) (v >>> 24) & 0xff);
    }
    op(0x8a, 8);
    for (int i = 0; i < 8; i++) {
      out.write((int) (v >>> (8 * i)) & 0xff);
    }
    return this;
  }

  PickleBytes tuple(long... values) {
    op('(');
    for (long v : values) {
      integer(v);
    }
    return op('t');
  }

  /**
   * {@code {key: _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}} with
   * storage {@code ('storage', torch.<storageClass>, '0', 'cpu', numel)}, then STOP.
   */
  static byte[] oneTensor(
      String storageClass, long numel, long offset, long[] size, long[] stride) {
    PickleBytes p = protocol2().op('}').string("w").global("torch._utils", "_rebuild_tensor_v2");
    p.op('(', '(').string("storage").global("torch", storageClass).string("0").string("cpu");
    p.integer(numel).op('t', 'Q').integer(offset).tuple(size).tuple(stride).op(0x89);
    p.global("collections", "OrderedDict").op(')', 'R', 't', 'R', 's', '.');
    return p.bytes();
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  /** Writes a zip archive of stored records, in order. */
  static Path zip(Path file, Map<String, byte[]> records) {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      for (Map.Entry<String, byte[]> r : records.entrySet()) {
        ZipEntry entry = new ZipEntry(r.getKey());
        CRC32 crc = new CRC32();
        crc.update(r.getValue());
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(r.getValue().length);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(r.getValue());
        zip.closeEntry();
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
