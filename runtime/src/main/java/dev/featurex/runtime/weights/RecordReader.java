package dev.featurex.runtime.weights;

import dev.featurex.runtime.StateDictFormatException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Copies a region of a checkpoint file into memory in bulk: stored bytes straight from the file
 * into the destination (positional reads, no per-element work), deflated ones through an {@link
 * Inflater} that may produce exactly the declared size and no more; the CRC-32, where the format
 * records one, is computed in the same pass, chunk by chunk, and checked at the end; big-endian
 * elements are then swapped.
 */
final class RecordReader {

  /** The bytes read (or inflated) at a time when checksumming: they stay in the L2 cache. */
  static final int CHUNK = 256 << 10;

  private RecordReader() {}

  /** The uncompressed bytes of a small zip record ({@code data.pkl}, {@code byteorder}). */
  static byte[] readSmall(Path file, FileChannel channel, ZipArchive.Entry entry)
      throws IOException {
    byte[] bytes = new byte[(int) entry.size()];
    Storage region =
        new Storage(
            entry.name(),
            DType.UINT8,
            entry.size(),
            entry.dataOffset(),
            entry.storedSize(),
            entry.deflated(),
            entry.crc32(),
            ByteOrder.LITTLE_ENDIAN);
    read(file, channel, region, List.of(ByteBuffer.wrap(bytes)));
    return bytes;
  }

  /**
   * Fills {@code windows}, which together hold exactly {@code storage.nbytes()} bytes, with the
   * storage's elements in native (little-endian) order, checking the CRC-32 where the format
   * records one in the same pass: each chunk is added to the checksum as soon as it lands, while it
   * is still in the processor's cache, so the data crosses memory once.
   *
   * @throws StateDictFormatException if the file ends early, the data does not inflate to the
   *     declared size, or the CRC-32 differs
   */
  static void read(Path file, FileChannel channel, Storage storage, List<ByteBuffer> windows)
      throws IOException {
    CRC32 crc = storage.crc32() >= 0 ? new CRC32() : null;
    try {
      if (storage.deflated()) {
        inflate(file, channel, storage, windows, crc);
      } else {
        readStored(file, channel, storage, windows, crc);
      }
    } catch (EOFException e) {
      throw truncated(file, storage);
    }
    if (crc != null) {
      checkCrcValue(file, storage, crc.getValue());
    }
    if (storage.order() == ByteOrder.BIG_ENDIAN && storage.dtype().size() > 1) {
      windows.forEach(w -> swap(w.duplicate(), storage.dtype().size()));
    }
  }

  /**
   * Fills {@code windows} with the stored (not deflated) bytes of {@code storage}, as they are: no
   * byte swap. With a {@code crc}, the bytes are read in chunks of {@value #CHUNK} bytes, each
   * added to it right after it is read; without, each window is read in one call.
   */
  static void readStored(
      Path file, FileChannel channel, Storage storage, List<ByteBuffer> windows, CRC32 crc)
      throws IOException {
    long position = storage.offset();
    for (ByteBuffer window : windows) {
      ByteBuffer w = window.duplicate();
      while (w.hasRemaining()) {
        ByteBuffer chunk = crc == null ? w : w.slice().limit(Math.min(CHUNK, w.remaining()));
        while (chunk.hasRemaining()) {
          int n = channel.read(chunk, position);
          if (n < 0) {
            throw truncated(file, storage);
          }
          position += n;
        }
        if (crc != null) {
          crc.update(chunk.flip());
          w.position(w.position() + chunk.limit());
        }
      }
    }
  }

  private static StateDictFormatException truncated(Path file, Storage storage) {
    return new StateDictFormatException(
        file, storage.name() + " ends past the end of the file; the file is truncated");
  }

  /** Checks {@code crc}, computed over the storage's bytes, against the recorded one. */
  static void checkCrcValue(Path file, Storage storage, long crc) throws StateDictFormatException {
    if (storage.crc32() >= 0 && crc != storage.crc32()) {
      throw new StateDictFormatException(
          file,
          storage.name() + " fails its CRC-32 check: the file is corrupt (download it again)");
    }
  }

  /**
   * Inflates the storage into {@code windows}, at most {@value #CHUNK} output bytes at a time, each
   * added to {@code crc} (when not null) as it is produced.
   */
  private static void inflate(
      Path file, FileChannel channel, Storage storage, List<ByteBuffer> windows, CRC32 crc)
      throws IOException {
    Inflater inflater = new Inflater(true);
    try {
      ByteBuffer input = ByteBuffer.allocate(CHUNK);
      long position = storage.offset();
      long left = storage.storedLength();
      for (ByteBuffer window : windows) {
        ByteBuffer w = window.duplicate();
        while (w.hasRemaining()) {
          if (inflater.needsInput()) {
            if (left == 0) {
              throw short_(file, storage);
            }
            input.clear().limit((int) Math.min(CHUNK, left));
            int n = channel.read(input, position);
            if (n < 0) {
              throw new EOFException();
            }
            position += n;
            left -= n;
            inflater.setInput(input.flip());
          }
          ByteBuffer out = w.slice().limit(Math.min(CHUNK, w.remaining()));
          int n = inflater.inflate(out);
          if (n == 0 && (inflater.finished() || inflater.needsDictionary())) {
            throw short_(file, storage);
          }
          if (crc != null) {
            crc.update(out.flip());
          }
          w.position(w.position() + n);
        }
      }
      if (!inflater.finished() && inflater.inflate(ByteBuffer.allocate(1)) > 0) {
        throw new StateDictFormatException(
            file, storage.name() + " inflates to more bytes than it declares (a zip bomb?)");
      }
    } catch (DataFormatException e) {
      throw new StateDictFormatException(
          file, storage.name() + " is not valid deflate data: " + e.getMessage());
    } finally {
      inflater.end();
    }
  }

  private static StateDictFormatException short_(Path file, Storage storage) {
    return new StateDictFormatException(
        file, storage.name() + " inflates to fewer bytes than it declares; the file is corrupt");
  }

  /** Reverses the bytes of each {@code size}-byte element in place. */
  private static void swap(ByteBuffer w, int size) {
    byte[] chunk = new byte[Math.min(w.remaining(), CHUNK)];
    while (w.hasRemaining()) {
      int n = Math.min(chunk.length, w.remaining());
      int at = w.position();
      w.get(chunk, 0, n);
      for (int i = 0; i + size <= n; i += size) {
        for (int a = i, b = i + size - 1; a < b; a++, b--) {
          byte t = chunk[a];
          chunk[a] = chunk[b];
          chunk[b] = t;
        }
      }
      w.put(at, chunk, 0, n);
    }
  }
}
