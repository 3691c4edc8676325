package dev.featurex.cli.output;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The headers of the two formats, written as their specifications say. */
final class Headers {

  private Headers() {}

  /**
   * NumPy's {@code .npy} header, version 1.0, for a little-endian float32 C-order array of {@code
   * shape}: magic, version, header length, and the dict padded with spaces and ended with a newline
   * so that the data starts at a multiple of 64 bytes.
   */
  static byte[] npy(long[] shape) {
    StringBuilder tuple = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      tuple.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    tuple.append(shape.length == 1 ? ",)" : ")");
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }";
    int unpadded = 10 + dict.length() + 1;
    int total = (unpadded + 63) / 64 * 64;
    String header = dict + " ".repeat(total - unpadded) + "\n";
    byte[] text = header.getBytes(StandardCharsets.US_ASCII);
    if (text.length > 65535) {
      throw new IllegalStateException("npy header too long: " + text.length);
    }
    ByteBuffer buffer = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII));
    buffer.put((byte) 1).put((byte) 0);
    buffer.putShort((short) text.length);
    buffer.put(text);
    return buffer.array();
  }

  /**
   * A safetensors header: the 8-byte little-endian length, then the JSON, padded with spaces to a
   * multiple of 8 bytes so that the data is aligned.
   *
   * @param tensors name to {@code shape} and byte length, in data order
   * @param metadata string pairs for {@code __metadata__}
   */
  static byte[] safetensors(Map<String, Spool.Shape> tensors, Map<String, String> metadata) {
    StringBuilder json = new StringBuilder("{");
    json.append(string("__metadata__")).append(":{");
    boolean first = true;
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      json.append(first ? "" : ",").append(string(e.getKey())).append(':');
      json.append(string(e.getValue()));
      first = false;
    }
    json.append('}');
    long offset = 0;
    for (Map.Entry<String, Spool.Shape> e : tensors.entrySet()) {
      long[] shape = e.getValue().shape();
      json.append(',').append(string(e.getKey())).append(":{\"dtype\":\"F32\",\"shape\":[");
      for (int i = 0; i < shape.length; i++) {
        json.append(i == 0 ? "" : ",").append(shape[i]);
      }
      long end = offset + e.getValue().bytes();
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

  /** A JSON string. */
  static String string(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\r' -> quoted.append("\\r");
        case '\t' -> quoted.append("\\t");
        default -> {
          if (c < 0x20) {
            quoted.append(String.format("\\u%04x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }
}
