package dev.featurex.cli.output;

import dev.featurex.runtime.weights.SafetensorsHeader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
   * A safetensors header ({@link SafetensorsHeader}) for float32 tensors.
   *
   * @param tensors name to {@code shape} and byte length, in data order
   * @param metadata string pairs for {@code __metadata__}
   */
  static byte[] safetensors(Map<String, Spool.Shape> tensors, Map<String, String> metadata) {
    List<SafetensorsHeader.Entry> entries = new ArrayList<>();
    tensors.forEach(
        (name, shape) ->
            entries.add(new SafetensorsHeader.Entry(name, "F32", shape.shape(), shape.bytes())));
    return SafetensorsHeader.encode(metadata, entries);
  }
}
