package dev.featurex.runtime.weights;

import dev.featurex.runtime.StateDictFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The directory of a zip archive (the container of {@code torch.save} since PyTorch 1.6), read from
 * its central directory, zip64 included, with each record's data located through its local header.
 * Safe against hostile archives: every offset and size is checked against the file, records must
 * not overlap (the overlapping-records zip bomb), compression is stored or deflate only, and a
 * deflated record may not declare more than deflate's largest ratio allows; records are not read
 * here, only located.
 */
final class ZipArchive {

  /** Deflate's largest expansion is 1032:1; a record that declares more is a bomb or corrupt. */
  static final long MAX_DEFLATE_RATIO = 1032;

  /** The most all deflated records together may expand. */
  static final long MAX_TOTAL_RATIO = 32;

  private static final int EOCD = 0x06054b50;
  private static final int ZIP64_LOCATOR = 0x07064b50;
  private static final int ZIP64_EOCD = 0x06064b50;
  private static final int CENTRAL = 0x02014b50;
  private static final int LOCAL = 0x04034b50;
  private static final int MAX_DIRECTORY = 64 << 20;

  /**
   * One record: its name, where its (possibly compressed) data starts, its stored and uncompressed
   * sizes, whether it is deflated, and the CRC-32 of its uncompressed bytes.
   */
  record Entry(
      String name, long dataOffset, long storedSize, long size, boolean deflated, long crc32) {}

  private final Path file;
  private final Map<String, Entry> entries;

  private ZipArchive(Path file, Map<String, Entry> entries) {
    this.file = file;
    this.entries = entries;
  }

  /** The records, by name, in the directory's order. */
  Map<String, Entry> entries() {
    return entries;
  }

  /** Reads the directory of the archive {@code channel}, the contents of {@code file}. */
  static ZipArchive open(Path file, FileChannel channel) throws IOException {
    long fileSize = channel.size();
    ByteBuffer tail =
        read(channel, Math.max(0, fileSize - 65_557), (int) Math.min(fileSize, 65_557));
    int eocd = -1;
    for (int i = tail.limit() - 22; i >= 0; i--) {
      if (tail.getInt(i) == EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      throw corrupt(file, "its end of central directory is missing (the file is truncated)");
    }
    long eocdAt = Math.max(0, fileSize - 65_557) + eocd;
    long count = tail.getShort(eocd + 10) & 0xffffL;
    long size = tail.getInt(eocd + 12) & 0xffffffffL;
    long offset = tail.getInt(eocd + 16) & 0xffffffffL;
    if (count == 0xffff || size == 0xffffffffL || offset == 0xffffffffL) {
      long[] zip64 = zip64(file, channel, eocdAt);
      count = zip64[0];
      size = zip64[1];
      offset = zip64[2];
    }
    if (offset + size > eocdAt || size > MAX_DIRECTORY || count > size / 46) {
      throw corrupt(
          file,
          "its central directory ("
              + count
              + " records, "
              + size
              + " bytes at "
              + offset
              + ") does not fit in the file");
    }
    ByteBuffer directory = read(channel, offset, (int) size);
    List<Entry> list = new ArrayList<>();
    int at = 0;
    for (long i = 0; i < count; i++) {
      at = central(file, channel, directory, at, offset, list);
    }
    checkDisjoint(file, list, offset);
    checkInflatedTotal(file, list);
    Map<String, Entry> byName = new LinkedHashMap<>();
    for (Entry entry : list) {
      if (byName.put(entry.name(), entry) != null) {
        throw corrupt(file, "it has two records named " + entry.name());
      }
    }
    return new ZipArchive(file, byName);
  }

  private static long[] zip64(Path file, FileChannel channel, long eocdAt) throws IOException {
    if (eocdAt < 20) {
      throw corrupt(file, "its zip64 locator is missing");
    }
    ByteBuffer locator = read(channel, eocdAt - 20, 20);
    if (locator.getInt(0) != ZIP64_LOCATOR) {
      throw corrupt(file, "its zip64 locator is missing");
    }
    long at = locator.getLong(8);
    if (at < 0 || at + 56 > eocdAt) {
      throw corrupt(file, "its zip64 end of central directory lies outside the file");
    }
    ByteBuffer end = read(channel, at, 56);
    if (end.getInt(0) != ZIP64_EOCD) {
      throw corrupt(file, "its zip64 end of central directory is damaged");
    }
    return new long[] {end.getLong(32), end.getLong(40), end.getLong(48)};
  }

  /** Parses the central header at {@code at}; returns where the next one starts. */
  private static int central(
      Path file, FileChannel channel, ByteBuffer dir, int at, long dirOffset, List<Entry> out)
      throws IOException {
    if (at + 46 > dir.limit() || dir.getInt(at) != CENTRAL) {
      throw corrupt(file, "its central directory is damaged at byte " + (dirOffset + at));
    }
    int flags = dir.getShort(at + 8) & 0xffff;
    int method = dir.getShort(at + 10) & 0xffff;
    long crc = dir.getInt(at + 16) & 0xffffffffL;
    long stored = dir.getInt(at + 20) & 0xffffffffL;
    long size = dir.getInt(at + 24) & 0xffffffffL;
    int nameLength = dir.getShort(at + 28) & 0xffff;
    int extraLength = dir.getShort(at + 30) & 0xffff;
    int commentLength = dir.getShort(at + 32) & 0xffff;
    long local = dir.getInt(at + 42) & 0xffffffffL;
    int next = at + 46 + nameLength + extraLength + commentLength;
    if (next > dir.limit()) {
      throw corrupt(file, "its central directory is damaged at byte " + (dirOffset + at));
    }
    byte[] nameBytes = new byte[nameLength];
    dir.get(at + 46, nameBytes);
    String name = new String(nameBytes, StandardCharsets.UTF_8);
    long[] sizes = {size, stored, local};
    zip64Extra(dir, at + 46 + nameLength, extraLength, sizes);
    size = sizes[0];
    stored = sizes[1];
    local = sizes[2];
    if ((flags & 1) != 0 || (method != 0 && method != 8)) {
      throw corrupt(
          file,
          "record "
              + name
              + " is "
              + ((flags & 1) != 0 ? "encrypted" : "compressed with method " + method)
              + "; torch.save writes stored records (deflate is read too)");
    }
    if (method == 0 && stored != size || size < 0 || stored < 0) {
      throw corrupt(file, "record " + name + " declares " + stored + " stored bytes for " + size);
    }
    if (method == 8 && size / MAX_DEFLATE_RATIO > stored + 1) {
      throw corrupt(
          file,
          "record "
              + name
              + " declares "
              + size
              + " bytes from "
              + stored
              + " compressed ones, more than deflate can expand (a zip bomb?)");
    }
    out.add(
        new Entry(
            name,
            dataOffset(file, channel, name, local, dirOffset),
            stored,
            size,
            method == 8,
            crc));
    return next;
  }

  /** Replaces the 0xffffffff sizes and offset with the values of the zip64 extra field. */
  private static void zip64Extra(ByteBuffer dir, int at, int length, long[] sizes) {
    int end = at + length;
    while (at + 4 <= end) {
      int id = dir.getShort(at) & 0xffff;
      int size = dir.getShort(at + 2) & 0xffff;
      if (id == 1) {
        int field = at + 4;
        for (int i = 0; i < 3 && field + 8 <= Math.min(end, at + 4 + size); i++) {
          if (sizes[i] == 0xffffffffL) {
            sizes[i] = dir.getLong(field);
            field += 8;
          }
        }
        return;
      }
      at += 4 + size;
    }
  }

  private static long dataOffset(
      Path file, FileChannel channel, String name, long local, long dirOffset) throws IOException {
    if (local < 0 || local + 30 > dirOffset) {
      throw corrupt(file, "record " + name + " starts outside the file");
    }
    ByteBuffer header = read(channel, local, 30);
    if (header.getInt(0) != LOCAL) {
      throw corrupt(file, "record " + name + " has no local header at byte " + local);
    }
    return local + 30 + (header.getShort(26) & 0xffff) + (header.getShort(28) & 0xffff);
  }

  /** Records may not share bytes, and all must end before the central directory. */
  private static void checkDisjoint(Path file, List<Entry> entries, long dirOffset)
      throws StateDictFormatException {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::dataOffset));
    long end = 0;
    for (Entry entry : sorted) {
      if (entry.dataOffset() < end) {
        throw corrupt(
            file, "record " + entry.name() + " overlaps the record before it (a zip bomb?)");
      }
      end = entry.dataOffset() + entry.storedSize();
      if (end > dirOffset || end < 0) {
        throw corrupt(
            file,
            "record "
                + entry.name()
                + " ends at byte "
                + end
                + ", past its data (at most "
                + dirOffset
                + "): the file is truncated");
      }
    }
  }

  /**
   * torch.save never compresses; an archive someone deflated may expand at most {@link
   * #MAX_TOTAL_RATIO} times overall, so a small file cannot demand gigabytes of memory.
   */
  private static void checkInflatedTotal(Path file, List<Entry> entries)
      throws StateDictFormatException {
    long stored = 0;
    long size = 0;
    for (Entry entry : entries) {
      if (entry.deflated()) {
        stored += entry.storedSize();
        size += entry.size();
      }
    }
    if (size > stored * MAX_TOTAL_RATIO + (1 << 20)) {
      throw corrupt(
          file,
          "its deflated records declare "
              + size
              + " bytes from "
              + stored
              + " compressed ones, more than "
              + MAX_TOTAL_RATIO
              + " times (a zip bomb?);"
              + " torch.save writes uncompressed archives");
    }
  }

  static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new java.io.EOFException("the file ends at byte " + (position + buffer.position()));
      }
    }
    return buffer.flip();
  }

  private static StateDictFormatException corrupt(Path file, String problem) {
    return new StateDictFormatException(file, "damaged zip archive: " + problem);
  }

  /** The file, for messages. */
  Path file() {
    return file;
  }
}
