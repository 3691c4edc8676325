package dev.featurex.runtime.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes an uncompressed zip archive as PyTorch's writer does: each record's data aligned to 64
 * bytes (by padding in the local header's extra field, id {@code FB}), fixed timestamps (the same
 * tensors give the same bytes), zip64 records where an offset or size needs them. Data is written
 * from {@link ByteBuffer}s straight to the channel.
 */
final class ZipWriter {

  private static final int ALIGN = 64;
  private static final long MAX32 = 0xffffffffL;
  private static final int DOS_DATE = (1 << 5) | 1; // 1980-01-01

  private record Written(String name, long offset, long size, long crc) {}

  private final FileChannel channel;
  private final boolean forceZip64;
  private final List<Written> written = new ArrayList<>();

  /**
   * @param forceZip64 write zip64 fields even when no size needs them (for tests of the reader)
   */
  ZipWriter(FileChannel channel, boolean forceZip64) {
    this.channel = channel;
    this.forceZip64 = forceZip64;
  }

  /** Adds a record holding the bytes of {@code data}, in order. */
  void add(String name, List<ByteBuffer> data) throws IOException {
    long size = 0;
    CRC32 crc = new CRC32();
    for (ByteBuffer b : data) {
      size += b.remaining();
      crc.update(b.duplicate());
    }
    long offset = channel.position();
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    boolean zip64 = forceZip64 || size >= MAX32;
    int fixed = 30 + nameBytes.length + (zip64 ? 20 : 0);
    int pad = (int) ((ALIGN - (offset + fixed + 4) % ALIGN) % ALIGN);
    ByteBuffer header = buffer(fixed + 4 + pad);
    header.putInt(0x04034b50).putShort((short) (zip64 ? 45 : 20)).putShort((short) 0x0800);
    header
        .putShort((short) 0)
        .putShort((short) 0)
        .putShort((short) DOS_DATE)
        .putInt((int) crc.getValue());
    header.putInt((int) (zip64 ? MAX32 : size)).putInt((int) (zip64 ? MAX32 : size));
    header.putShort((short) nameBytes.length).putShort((short) ((zip64 ? 20 : 0) + 4 + pad));
    header.put(nameBytes);
    if (zip64) {
      header.putShort((short) 1).putShort((short) 16).putLong(size).putLong(size);
    }
    header.putShort((short) 0x4246).putShort((short) pad).put(new byte[pad]);
    write(header.flip());
    for (ByteBuffer b : data) {
      write(b.duplicate());
    }
    written.add(new Written(name, offset, size, crc.getValue()));
  }

  /** Adds a record holding {@code bytes}. */
  void add(String name, byte[] bytes) throws IOException {
    add(name, List.of(ByteBuffer.wrap(bytes)));
  }

  /** Writes the central directory and its end; the archive is then complete. */
  void finish() throws IOException {
    long start = channel.position();
    for (Written w : written) {
      byte[] name = w.name().getBytes(StandardCharsets.UTF_8);
      boolean bigSize = forceZip64 || w.size() >= MAX32;
      boolean bigOffset = forceZip64 || w.offset() >= MAX32;
      int extra = (bigSize ? 16 : 0) + (bigOffset ? 8 : 0);
      ByteBuffer h = buffer(46 + name.length + (extra > 0 ? 4 + extra : 0));
      h.putInt(0x02014b50).putShort((short) 45).putShort((short) (extra > 0 ? 45 : 20));
      h.putShort((short) 0x0800).putShort((short) 0).putShort((short) 0).putShort((short) DOS_DATE);
      h.putInt((int) w.crc()).putInt((int) (bigSize ? MAX32 : w.size()));
      h.putInt((int) (bigSize ? MAX32 : w.size())).putShort((short) name.length);
      h.putShort((short) (extra > 0 ? 4 + extra : 0)).putShort((short) 0).putShort((short) 0);
      h.putShort((short) 0).putInt(0).putInt((int) (bigOffset ? MAX32 : w.offset())).put(name);
      if (extra > 0) {
        h.putShort((short) 1).putShort((short) extra);
        if (bigSize) {
          h.putLong(w.size()).putLong(w.size());
        }
        if (bigOffset) {
          h.putLong(w.offset());
        }
      }
      write(h.flip());
    }
    long size = channel.position() - start;
    boolean zip64 = forceZip64 || written.size() >= 0xffff || start >= MAX32 || size >= MAX32;
    if (zip64) {
      long end64 = channel.position();
      ByteBuffer e = buffer(56 + 20);
      e.putInt(0x06064b50)
          .putLong(44)
          .putShort((short) 45)
          .putShort((short) 45)
          .putInt(0)
          .putInt(0);
      e.putLong(written.size()).putLong(written.size()).putLong(size).putLong(start);
      e.putInt(0x07064b50).putInt(0).putLong(end64).putInt(1);
      write(e.flip());
    }
    ByteBuffer end = buffer(22);
    short count = (short) (zip64 ? 0xffff : written.size());
    end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort(count).putShort(count);
    end.putInt((int) (zip64 ? MAX32 : size))
        .putInt((int) (zip64 ? MAX32 : start))
        .putShort((short) 0);
    write(end.flip());
  }

  private void write(ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }

  private static ByteBuffer buffer(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
