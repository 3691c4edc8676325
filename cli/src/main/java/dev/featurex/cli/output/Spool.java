package dev.featurex.cli.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One key's rows as they arrive: little-endian float32 appended to a temporary file, so that any
 * number of images fits (ResNet-50's {@code layer4} is 400 KB per image), and the row shape checked
 * to stay the same.
 */
final class Spool implements AutoCloseable {

  /**
   * A tensor's shape and its size in bytes.
   *
   * @param shape the full shape, rows first
   * @param bytes the data's length
   */
  record Shape(long[] shape, long bytes) {}

  private final String key;
  private final Path file;
  private final FileChannel channel;
  private long[] rowShape;
  private long rows;
  private ByteBuffer buffer = ByteBuffer.allocate(0);

  Spool(String key, Path file) throws IOException {
    this.key = key;
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
  }

  /** Appends {@code data}, {@code count} rows of {@code rowShape}. */
  void append(long[] rowShape, float[] data, int count) throws IOException {
    if (this.rowShape == null) {
      this.rowShape = rowShape.clone();
    } else if (!Arrays.equals(this.rowShape, rowShape)) {
      throw new IllegalStateException(
          "feature \""
              + key
              + "\" changed shape from "
              + Arrays.toString(this.rowShape)
              + " to "
              + Arrays.toString(rowShape));
    }
    int bytes = Math.multiplyExact(data.length, Float.BYTES);
    if (buffer.capacity() < bytes) {
      buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
    buffer.clear();
    buffer.asFloatBuffer().put(data);
    buffer.limit(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    rows += count;
  }

  /** The shape of everything appended, rows first. */
  Shape shape() throws IOException {
    long[] shape = new long[rowShape.length + 1];
    shape[0] = rows;
    System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
    return new Shape(shape, channel.size());
  }

  /** Copies the whole spool to {@code out} at its position. */
  void copyTo(FileChannel out) throws IOException {
    long size = channel.size();
    long done = 0;
    while (done < size) {
      done += channel.transferTo(done, size - done, out);
    }
  }

  /** The key. */
  String key() {
    return key;
  }

  /** The temporary file. */
  Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
