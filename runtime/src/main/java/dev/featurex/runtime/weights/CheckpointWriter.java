package dev.featurex.runtime.weights;

import dev.featurex.runtime.CheckpointFormat;
import dev.featurex.runtime.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Writes a state dict as a checkpoint file: the torch zip archive ({@code torch.load(path,
 * weights_only=True)} reads it) or safetensors. Each tensor is written from its own memory in bulk,
 * as a contiguous CPU copy when it is not one already. The file appears whole or not at all: it is
 * written next to its destination and moved over it ({@link AtomicFiles}: the permissions of a new
 * file, symbolic links written through).
 */
public final class CheckpointWriter {

  private CheckpointWriter() {}

  /**
   * Writes {@code tensors}, in iteration order, to {@code file} in {@code format}.
   *
   * @throws IllegalArgumentException if a tensor's dtype is not one of {@link DType}, or {@code
   *     format} is {@link CheckpointFormat#TORCH_LEGACY}
   */
  public static void write(Map<String, Tensor> tensors, Path file, CheckpointFormat format)
      throws IOException {
    write(tensors, file, format, false);
  }

  /** {@link #write}, with zip64 records forced in a zip archive (to test readers). */
  static void write(Map<String, Tensor> tensors, Path file, CheckpointFormat format, boolean zip64)
      throws IOException {
    List<Entry> entries = new ArrayList<>();
    tensors.forEach((key, tensor) -> entries.add(entry(key, tensor)));
    Path temp = AtomicFiles.createTemp(file, ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        switch (format) {
          case TORCH_ZIP -> torchZip(entries, channel, zip64);
          case SAFETENSORS -> safetensors(entries, channel);
          case TORCH_LEGACY ->
              throw new IllegalArgumentException(
                  "featurex reads the legacy torch.save format but does not write it; write TORCH_ZIP");
        }
        channel.force(false);
      }
      AtomicFiles.commit(temp, file);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** A tensor ready to write: contiguous, on the CPU, of a supported type. */
  private record Entry(String key, DType dtype, long[] shape, Tensor data) {
    long nbytes() {
      return TorchPickler.numel(shape) * dtype.size();
    }

    List<ByteBuffer> bytes() {
      return TensorBytes.windows(data, nbytes());
    }
  }

  private static Entry entry(String key, Tensor tensor) {
    DType dtype =
        DType.of(tensor.scalar_type())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "cannot save \""
                            + key
                            + "\": its dtype "
                            + tensor.scalar_type()
                            + " is not one of "
                            + Arrays.toString(DType.values())
                            + "; convert it first (tensor.to(ScalarType.Float))"));
    if (tensor.is_quantized() || tensor.is_sparse() || tensor.is_mkldnn() || tensor.is_nested()) {
      throw new IllegalArgumentException(
          "cannot save \""
              + key
              + "\": only dense tensors are saved (it is quantized, sparse,"
              + " mkldnn or nested)");
    }
    Tensor data = tensor.detach().cpu().contiguous();
    return new Entry(key, dtype, data.sizes().vec().get(), data);
  }

  private static void torchZip(List<Entry> entries, FileChannel channel, boolean zip64)
      throws IOException {
    List<TorchPickler.Item> items = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      items.add(new TorchPickler.Item(e.key(), e.dtype(), e.shape(), Integer.toString(i)));
    }
    ZipWriter zip = new ZipWriter(channel, zip64);
    zip.add("archive/data.pkl", TorchPickler.pickle(items));
    zip.add("archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < entries.size(); i++) {
      zip.add("archive/data/" + i, entries.get(i).bytes());
    }
    zip.add("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    zip.finish();
  }

  /** The header ({@code __metadata__: {"format": "pt"}}, then each tensor), then the data. */
  private static void safetensors(List<Entry> entries, FileChannel channel) throws IOException {
    List<SafetensorsHeader.Entry> header = new ArrayList<>();
    for (Entry e : entries) {
      header.add(
          new SafetensorsHeader.Entry(e.key(), e.dtype().safetensorsName(), e.shape(), e.nbytes()));
    }
    write(channel, ByteBuffer.wrap(SafetensorsHeader.encode(Map.of("format", "pt"), header)));
    for (Entry e : entries) {
      for (ByteBuffer b : e.bytes()) {
        write(channel, b.duplicate());
      }
    }
  }

  private static void write(FileChannel channel, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }
}
