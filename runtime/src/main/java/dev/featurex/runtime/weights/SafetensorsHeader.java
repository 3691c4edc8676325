package dev.featurex.runtime.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file's header, as its specification says: the 8-byte little-endian length, then the
 * JSON ({@code __metadata__}, then each tensor's dtype, shape and data offsets, in data order),
 * padded with spaces to a multiple of 8 bytes so that the data is aligned. One writer for the
 * checkpoints ({@link CheckpointWriter}) and the command line's feature files.
 */
public final class SafetensorsHeader {

  /** The header's own key ({@code __metadata__}), which no tensor may take. */
  public static final String METADATA = "__metadata__";

  /**
   * One tensor of the file.
   *
   * @param name its key
   * @param dtype its safetensors dtype ({@code F32})
   * @param shape its shape
   * @param bytes its data's length in bytes
   */
  public record Entry(String name, String dtype, long[] shape, long bytes) {

    /**
     * @throws IllegalArgumentException for the name {@value SafetensorsHeader#METADATA}
     */
    public Entry {
      if (METADATA.equals(name)) {
        throw new IllegalArgumentException(
            "the key \"" + METADATA + "\" is reserved by the safetensors format for its header");
      }
    }
  }

  private SafetensorsHeader() {}

  /** The header of a file holding {@code tensors}, in this order, with {@code metadata}. */
  public static byte[] encode(Map<String, String> metadata, List<Entry> tensors) {
    StringBuilder json = new StringBuilder("{").append(Json.quote(METADATA)).append(":{");
    boolean first = true;
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      json.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':');
      json.append(Json.quote(e.getValue()));
      first = false;
    }
    json.append('}');
    long offset = 0;
    for (Entry e : tensors) {
      json.append(',').append(Json.quote(e.name()));
      json.append(":{\"dtype\":").append(Json.quote(e.dtype())).append(",\"shape\":[");
      for (int i = 0; i < e.shape().length; i++) {
        json.append(i == 0 ? "" : ",").append(e.shape()[i]);
      }
      long end = offset + e.bytes();
      json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
      offset = end;
    }
    json.append('}');
    byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (text.length + 7) / 8 * 8;
    ByteBuffer buffer = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(padded).put(text);
    while (buffer.hasRemaining()) {
      buffer.put((byte) ' ');
    }
    return buffer.array();
  }
}
