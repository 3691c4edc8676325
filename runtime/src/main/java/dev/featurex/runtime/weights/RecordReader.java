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
 * into the destination (one positional read per window, no per-element work), deflated ones through
 * an {@link Inflater} that may produce exactly the declared size and no more, then the CRC-32 is
 * checked where the format records one and big-endian elements are swapped.
 */
final class RecordReader {

  private static final int CHUNK = 1 << 20;

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
   * storage's elements in native (little-endian) order.
   *
   * @throws StateDictFormatException if the file ends early, the data does not inflate to the
   *     declared size, or the CRC-32 differs
   */
  static void read(Path file, FileChannel channel, Storage storage, List<ByteBuffer> windows)
      throws IOException {
    try {
      if (storage.deflated()) {
        inflate(file, channel, storage, windows);
      } else {
        readStored(file, channel, storage, windows);
      }
    } catch (EOFException e) {
      throw truncated(file, storage);
    }
    checkCrc(file, storage, windows);
    if (storage.order() == ByteOrder.BIG_ENDIAN && storage.dtype().size() > 1) {
      windows.forEach(w -> swap(w.duplicate(), storage.dtype().size()));
    }
  }

  /**
   * Fills {@code windows} with the stored (not deflated) bytes of {@code storage}, as they are: no
   * check, no byte swap.
   */
  static void readStored(Path file, FileChannel channel, Storage storage, List<ByteBuffer> windows)
      throws IOException {
    long position = storage.offset();
    for (ByteBuffer window : windows) {
      ByteBuffer w = window.duplicate();
      while (w.hasRemaining()) {
        int n = channel.read(w, position);
        if (n < 0) {
          throw truncated(file, storage);
        }
        position += n;
      }
    }
  }

  private static StateDictFormatException truncated(Path file, Storage storage) {
    return new StateDictFormatException(
        file, storage.name() + " ends past the end of the file; the file is truncated");
  }

  /** Checks the CRC-32 of {@code windows} against the storage's, when the format records one. */
  static void checkCrc(Path file, Storage storage, List<ByteBuffer> windows)
      throws StateDictFormatException {
    if (storage.crc32() >= 0) {
      CRC32 crc = new CRC32();
      windows.forEach(w -> crc.update(w.duplicate()));
      checkCrcValue(file, storage, crc.getValue());
    }
  }

  /** Checks {@code crc}, computed over the storage's bytes, against the recorded one. */
  static void checkCrcValue(Path file, Storage storage, long crc) throws StateDictFormatException {
    if (storage.crc32() >= 0 && crc != storage.crc32()) {
      throw new StateDictFormatException(
          file,
          storage.name() + " fails its CRC-32 check: the file is corrupt (download it again)");
    }
  }

  private static void inflate(
      Path file, FileChannel channel, Storage storage, List<ByteBuffer> windows)
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
          if (inflater.inflate(w) == 0 && (inflater.finished() || inflater.needsDictionary())) {
            throw short_(file, storage);
          }
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
