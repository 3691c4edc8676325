package dev.featurex.runtime.weights;

import dev.featurex.runtime.CheckpointFormat;
import dev.featurex.runtime.StateDictFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Tells a checkpoint's format from its first bytes, never from its name: {@code PK\3\4} is a zip
 * archive, a pickle whose first value is the magic number {@code 0x1950a86a20f9469cfc6c} is the
 * legacy format, and an 8-byte length followed by {@code {} is safetensors. Everything else gets
 * an error that says what the file looks like.
 */
final class FormatDetector {

  /** PROTO 2, LONG1 of 10 bytes, then the magic number little-endian. */
  private static final byte[] LEGACY =
      bytes(0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19);

  private FormatDetector() {}

  static CheckpointFormat detect(Path file, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size == 0) {
      throw new StateDictFormatException(file, "the file is empty");
    }
    ByteBuffer head = ZipArchive.read(channel, 0, (int) Math.min(size, 512));
    if (startsWith(head, bytes('P', 'K', 3, 4)) || startsWith(head, bytes('P', 'K', 5, 6))) {
      return CheckpointFormat.TORCH_ZIP;
    }
    if (startsWith(head, LEGACY)) {
      return CheckpointFormat.TORCH_LEGACY;
    }
    if (head.limit() >= 9 && head.get(8) == '{') {
      return CheckpointFormat.SAFETENSORS;
    }
    if (head.limit() >= 262 && startsWith(head.slice(257, 5), bytes('u', 's', 't', 'a', 'r'))) {
      throw new StateDictFormatException(
          file,
          "a tar archive: the format of PyTorch before 0.4, which featurex does not read;"
              + " load it with torch.load and save it again with torch.save");
    }
    if ((head.get(0) & 0xff) == 0x80) {
      throw new StateDictFormatException(
          file,
          "a pickle, but not one of torch.save (no legacy magic number); save the state dict"
              + " with torch.save(model.state_dict(), path)");
    }
    throw new StateDictFormatException(
        file,
        "not a checkpoint: featurex reads the zip archives of torch.save, its legacy format"
            + " and safetensors, and this file is none of them (it starts with "
            + hex(head)
            + ")");
  }

  private static boolean startsWith(ByteBuffer head, byte[] prefix) {
    if (head.limit() < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (head.get(i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static String hex(ByteBuffer head) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(8, head.limit()); i++) {
      out.append(String.format("%02x ", head.get(i) & 0xff));
    }
    return out.toString().strip();
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }
}
