package dev.featurex.runtime.weights;

import dev.featurex.runtime.StateDictFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The bytes of one pickle, read forwards, with every length checked against what is left before
 * anything is allocated: a declared length past the end is a {@link StateDictFormatException},
 * never an attempt to allocate it. Reads from memory or from a region of a file.
 */
final class PickleInput {

  private final Path file;
  private final String part;
  private final FileChannel channel;
  private final long end;
  private final ByteBuffer buffer;

  /** The file position of {@code buffer}'s first byte. */
  private long bufferStart;

  private PickleInput(
      Path file, String part, FileChannel channel, long start, long end, ByteBuffer buffer) {
    this.file = file;
    this.part = part;
    this.channel = channel;
    this.end = end;
    this.buffer = buffer.order(ByteOrder.LITTLE_ENDIAN);
    this.bufferStart = start;
  }

  /** Reads {@code bytes}, which came from {@code part} of {@code file} (for messages). */
  static PickleInput of(Path file, String part, byte[] bytes) {
    return new PickleInput(file, part, null, 0, bytes.length, ByteBuffer.wrap(bytes));
  }

  /** Reads the bytes {@code [start, end)} of {@code channel}, the contents of {@code file}. */
  static PickleInput of(Path file, String part, FileChannel channel, long start, long end) {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    buffer.limit(0);
    return new PickleInput(file, part, channel, start, end, buffer);
  }

  /** The file (or memory) position of the next byte. */
  long position() {
    return bufferStart + buffer.position();
  }

  /** The bytes left before the end of the region. */
  long remaining() {
    return end - position();
  }

  /** The next byte, 0 to 255. */
  int u8() throws StateDictFormatException {
    need(1);
    return buffer.get() & 0xff;
  }

  /** A little-endian unsigned 16-bit number. */
  int u16() throws StateDictFormatException {
    need(2);
    return buffer.getShort() & 0xffff;
  }

  /** A little-endian signed 32-bit number. */
  int i32() throws StateDictFormatException {
    need(4);
    return buffer.getInt();
  }

  /** A little-endian signed 64-bit number. */
  long i64() throws StateDictFormatException {
    need(8);
    return buffer.getLong();
  }

  /** A big-endian IEEE double (the pickle's {@code BINFLOAT}). */
  double f64BigEndian() throws StateDictFormatException {
    need(8);
    return Double.longBitsToDouble(Long.reverseBytes(buffer.getLong()));
  }

  /**
   * The next {@code length} bytes; refuses a negative length or one past the end of the region
   * before allocating anything.
   */
  byte[] bytes(long length) throws StateDictFormatException {
    if (length < 0 || length > remaining()) {
      throw corrupt(
          "a value declares "
              + length
              + " bytes but only "
              + remaining()
              + " are left in "
              + part
              + " (the file is truncated or corrupt)");
    }
    byte[] out = new byte[(int) length];
    int done = 0;
    while (done < out.length) {
      need(1);
      int n = Math.min(buffer.remaining(), out.length - done);
      buffer.get(out, done, n);
      done += n;
    }
    return out;
  }

  /** The bytes up to the next newline, without it (the text of {@code GLOBAL}); at most 1 KiB. */
  String line() throws StateDictFormatException {
    StringBuilder text = new StringBuilder();
    for (int c = u8(); c != '\n'; c = u8()) {
      if (text.length() >= 1024) {
        throw corrupt("a GLOBAL name in " + part + " is longer than 1024 bytes");
      }
      text.append((char) c);
    }
    return text.toString();
  }

  /** A format error about this pickle, naming the file. */
  StateDictFormatException corrupt(String problem) {
    return new StateDictFormatException(file, problem);
  }

  /** The part of the file this pickle is, as in {@code archive/data.pkl}. */
  String part() {
    return part;
  }

  /** The file the pickle came from. */
  Path file() {
    return file;
  }

  private void need(int n) throws StateDictFormatException {
    if (buffer.remaining() >= n) {
      return;
    }
    if (channel == null || remaining() < n) {
      throw corrupt(part + " ends in the middle of a value (the file is truncated or corrupt)");
    }
    long next = position();
    buffer.compact(); // the unread bytes move to the front: buffer[0] is the byte at next
    bufferStart = next;
    buffer.limit((int) Math.min(buffer.capacity(), end - next));
    try {
      while (buffer.position() < n) {
        if (channel.read(buffer, next + buffer.position()) < 0) {
          throw corrupt(part + " ends in the middle of a value (the file is truncated)");
        }
      }
    } catch (IOException e) {
      throw corrupt("cannot read " + part + ": " + e.getMessage());
    }
    buffer.flip();
  }
}
