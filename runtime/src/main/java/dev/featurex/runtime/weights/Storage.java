package dev.featurex.runtime.weights;

import java.nio.ByteOrder;

/**
 * One storage of a checkpoint and where its bytes are: {@code numel} elements of {@code dtype},
 * stored at {@code offset} in the file, {@code storedLength} bytes long (the compressed length when
 * {@code deflated}), with the CRC-32 of the uncompressed bytes when the format records one ({@code
 * -1} otherwise), in {@code order}. A reader builds one only after checking that the region lies
 * inside the file and holds at least {@link #nbytes()} bytes.
 *
 * @param name the storage's name in messages, as in {@code archive/data/3}
 * @param dtype the element type
 * @param numel the number of elements
 * @param offset the file position of the first stored byte
 * @param storedLength the bytes stored in the file
 * @param deflated whether the bytes are deflate-compressed
 * @param crc32 the CRC-32 of the uncompressed bytes, or {@code -1}
 * @param order the byte order of the elements
 */
public record Storage(
    String name,
    DType dtype,
    long numel,
    long offset,
    long storedLength,
    boolean deflated,
    long crc32,
    ByteOrder order) {

  /** The bytes the elements take: {@code numel * dtype.size()}. */
  public long nbytes() {
    return numel * dtype.size();
  }
}
