package dev.featurex.runtime.weights;

import dev.featurex.runtime.CheckpointFormat;
import dev.featurex.runtime.StateDictFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * An open checkpoint file, read in two steps: {@link #stateDict} reads its structure (the pickle or
 * the header: names, dtypes, shapes, where each storage is) without reading any tensor data; {@link
 * #tensors} then reads the storages that the chosen tensors need, each in one bulk copy from the
 * file into a new libtorch tensor. The format comes from the file's first bytes ({@link #format}).
 * Not thread-safe; close it when done.
 */
public final class CheckpointFile implements AutoCloseable {

  private final Path file;
  private final FileChannel channel;
  private final CheckpointFormat format;
  private final Map<DType, TensorOptions> options = new EnumMap<>(DType.class);
  private final MemoryFormatOptional memoryFormat = new MemoryFormatOptional();

  private CheckpointFile(Path file, FileChannel channel, CheckpointFormat format) {
    this.file = file;
    this.channel = channel;
    this.format = format;
  }

  /**
   * Opens {@code file} and recognises its format from its first bytes.
   *
   * @throws NoSuchFileException if there is no such file
   * @throws StateDictFormatException if it is none of the {@link CheckpointFormat}s
   */
  public static CheckpointFile open(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such state dict file");
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      return new CheckpointFile(file, channel, FormatDetector.detect(file, channel));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** The file, for messages. */
  public Path file() {
    return file;
  }

  /** The file's format. */
  public CheckpointFormat format() {
    return format;
  }

  /**
   * The state dict's tensors, by key in the file's order, not yet read; see {@link
   * StateDictSelector} for how a training checkpoint's entry is found.
   *
   * @param entry the checkpoint entry that holds the state dict, or {@code null} to find it
   */
  public Map<String, TensorRef> stateDict(String entry) throws IOException {
    Checkpoint checkpoint =
        switch (format) {
          case TORCH_ZIP -> TorchZipReader.read(file, channel);
          case TORCH_LEGACY -> LegacyReader.read(file, channel);
          case SAFETENSORS -> SafetensorsReader.read(file, channel);
        };
    return StateDictSelector.select(file, checkpoint.root(), entry);
  }

  /**
   * Reads {@code refs} into new tensors, detached and on the CPU, each a view of its storage as in
   * the file (tensors that share a storage in the file share it here). Reads every storage before
   * returning, so a damaged storage fails the whole call.
   *
   * @throws StateDictFormatException if a storage is truncated, fails its CRC or does not inflate
   */
  public Map<TensorRef, Tensor> tensors(Collection<TensorRef> refs) throws IOException {
    Map<Storage, Integer> uses = new IdentityHashMap<>();
    refs.forEach(ref -> uses.merge(ref.storage(), 1, Integer::sum));
    Map<Storage, Tensor> made = new IdentityHashMap<>();
    Map<TensorRef, Tensor> out = new LinkedHashMap<>();
    for (TensorRef ref : refs) {
      if (uses.get(ref.storage()) == 1 && ref.isWholeContiguousStorage()) {
        out.put(ref, read(ref.storage(), ref.shape())); // the usual case: one tensor, one storage
        continue;
      }
      Tensor storage = made.get(ref.storage());
      if (storage == null) {
        storage = read(ref.storage(), new long[] {ref.storage().numel()});
        made.put(ref.storage(), storage);
      }
      out.put(ref, storage.as_strided(ref.shape(), ref.stride(), new LongOptional(ref.offset())));
    }
    return out;
  }

  /**
   * Whether {@link #readInto} can fill {@code target} with {@code ref}'s bytes as they are stored:
   * the tensor is its storage's only tensor and covers it in order, the bytes are stored as they
   * are (not deflated, little-endian), and the target is a contiguous CPU tensor of the same dtype.
   *
   * @param uses how many tensors being read refer to each storage
   */
  public static boolean canReadInto(TensorRef ref, Tensor target, Map<Storage, Integer> uses) {
    Storage storage = ref.storage();
    return uses.get(storage) == 1
        && ref.isWholeContiguousStorage()
        && !storage.deflated()
        && (storage.order() == java.nio.ByteOrder.LITTLE_ENDIAN || storage.dtype().size() == 1)
        && target.is_cpu()
        && target.is_contiguous()
        && DType.of(target.scalar_type()).orElse(null) == storage.dtype()
        && target.numel() == storage.numel();
  }

  /**
   * Checks the stored bytes of {@code storages} against their CRC-32 (where the format records one)
   * without keeping them: streamed through one small buffer, so nothing is allocated for the data.
   * What {@link #readInto} will read is then known to be intact.
   *
   * @throws StateDictFormatException if a storage fails its check
   */
  public void verify(Collection<Storage> storages) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    for (Storage storage : storages) {
      if (storage.crc32() < 0) {
        continue;
      }
      CRC32 crc = new CRC32();
      long position = storage.offset();
      long end = position + storage.nbytes();
      while (position < end) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
        int n = channel.read(buffer, position);
        if (n < 0) {
          throw new StateDictFormatException(
              file, storage.name() + " ends past the end of the file; the file is truncated");
        }
        position += n;
        crc.update(buffer.flip());
      }
      RecordReader.checkCrcValue(file, storage, crc.getValue());
    }
  }

  /**
   * Reads {@code ref}'s bytes straight into {@code target}'s memory, which {@link #canReadInto}
   * allowed and {@link #verify} checked, and bumps the target's version counter as an in-place
   * {@code copy_} would. (The bytes are not checked a second time: only another process changing
   * the file in between could make them differ.)
   *
   * @throws StateDictFormatException if the file ends early
   */
  public void readInto(TensorRef ref, Tensor target) throws IOException {
    Storage storage = ref.storage();
    RecordReader.readStored(file, channel, storage, TensorBytes.windows(target, storage.nbytes()));
    target.unsafeGetTensorImpl().bump_version();
  }

  /**
   * A new tensor of {@code shape} holding the storage's elements. The options are made once per
   * file: each native object JavaCPP allocates costs a check of the process's memory.
   */
  private Tensor read(Storage storage, long[] shape) throws IOException {
    TensorOptions type =
        options.computeIfAbsent(storage.dtype(), d -> new TensorOptions(d.scalarType()));
    Tensor tensor = torch.empty(shape, type, memoryFormat);
    RecordReader.read(file, channel, storage, TensorBytes.windows(tensor, storage.nbytes()));
    return tensor;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
