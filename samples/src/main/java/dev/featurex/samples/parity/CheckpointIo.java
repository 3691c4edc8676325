package dev.featurex.samples.parity;

import dev.featurex.runtime.weights.CheckpointFile;
import dev.featurex.runtime.weights.Storage;
import dev.featurex.runtime.weights.TensorRef;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The {@code io} step of {@code samples/parity/checkpoints.sh}: the ways to move a checkpoint's
 * tensor bytes that featurex chose between, timed side by side on one file. The checksum pass over
 * every record: positional reads into a 256 KiB buffer with the CRC-32 of each chunk (featurex),
 * the same on two threads, or the file mapped ({@code torch.from_file}, an {@code mmap}) and
 * checksummed in place. The copy into tensor memory: positional reads straight into it (featurex),
 * the same on two threads, or the mapped file copied with {@code memcpy}. Each repetition maps and
 * unmaps the file anew, as a load would.
 */
final class CheckpointIo {

  private static final int CHUNK = 256 << 10;

  private interface Step {
    void run() throws Exception;
  }

  private final Path file;
  private final FileChannel channel;
  private final List<Storage> storages;
  private final Map<Storage, Long> at = new IdentityHashMap<>();
  private final BytePointer destination;
  private final ExecutorService second = Executors.newSingleThreadExecutor();

  private CheckpointIo(Path file, FileChannel channel, List<Storage> storages, Tensor destination) {
    this.file = file;
    this.channel = channel;
    this.storages = storages;
    this.destination = new BytePointer(destination.data_ptr()).capacity(destination.nbytes());
    long position = 0;
    for (Storage storage : storages) {
      at.put(storage, position);
      position += storage.nbytes();
    }
  }

  /** Times every way {@code reps} times, interleaved, and prints a table. */
  static void run(Path file, int reps) throws Exception {
    List<Storage> storages = new ArrayList<>();
    try (CheckpointFile checkpoint = CheckpointFile.open(file)) {
      checkpoint.stateDict(null).values().stream()
          .map(TensorRef::storage)
          .distinct()
          .forEach(storages::add);
    }
    storages.sort(Comparator.comparingLong(Storage::offset));
    long total = storages.stream().mapToLong(Storage::nbytes).sum();
    // Zeroed, so its pages are in place: page faults are not what is timed.
    Tensor destination = torch.zeros(new long[] {total}, new TensorOptions(ScalarType.Byte));
    try (FileChannel channel = FileChannel.open(file)) {
      CheckpointIo io = new CheckpointIo(file, channel, storages, destination);
      try {
        io.time(reps, total);
      } finally {
        io.second.shutdown();
      }
    }
  }

  private void time(int reps, long total) throws Exception {
    Map<String, Step> steps = new LinkedHashMap<>();
    steps.put("CRC-32 pass: pread 256 KiB chunks (featurex)", () -> split(1, this::checksum));
    steps.put("CRC-32 pass: pread 256 KiB chunks, 2 threads", () -> split(2, this::checksum));
    steps.put("CRC-32 pass: mapped file", () -> mapped(this::checksumMapped));
    steps.put("copy: pread into tensor memory (featurex)", () -> split(1, this::read));
    steps.put("copy: pread into tensor memory, 2 threads", () -> split(2, this::read));
    steps.put("copy: mapped file, memcpy", () -> mapped(this::copyMapped));
    Map<String, double[]> ms = new LinkedHashMap<>();
    steps.keySet().forEach(name -> ms.put(name, new double[reps]));
    for (int r = -2; r < reps; r++) { // two untimed rounds first
      for (Map.Entry<String, Step> step : steps.entrySet()) {
        long start = System.nanoTime();
        step.getValue().run();
        if (r >= 0) {
          ms.get(step.getKey())[r] = (System.nanoTime() - start) / 1e6;
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%s: %d records, %.1f MB, %d repetitions%n",
        file.getFileName(),
        storages.size(),
        total / 1e6,
        reps);
    System.out.println("| way | median ms | p25 ms | GB/s at the median |");
    System.out.println("| --- | --- | --- | --- |");
    ms.forEach(
        (name, values) -> {
          Arrays.sort(values);
          double median = values[values.length / 2];
          System.out.printf(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %.1f |%n",
              name,
              median,
              values[values.length / 4],
              total / median / 1e6);
        });
  }

  /** Runs {@code work} on {@code parts} interleaved shares of the records, on as many threads. */
  private void split(int parts, StorageWork work) throws Exception {
    List<List<Storage>> shares = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      shares.add(new ArrayList<>());
    }
    for (int i = 0; i < storages.size(); i++) {
      shares.get(i % parts).add(storages.get(i));
    }
    Future<?> other = null;
    if (parts > 1) {
      other =
          second.submit(
              () -> {
                work.run(shares.get(1));
                return null;
              });
    }
    work.run(shares.get(0));
    if (other != null) {
      other.get();
    }
  }

  private interface StorageWork {
    void run(List<Storage> share) throws IOException;
  }

  private void checksum(List<Storage> share) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
    for (Storage storage : share) {
      CRC32 crc = new CRC32();
      for (long position = storage.offset(), end = position + storage.nbytes(); position < end; ) {
        buffer.clear().limit((int) Math.min(CHUNK, end - position));
        while (buffer.hasRemaining()) {
          position += channel.read(buffer, position);
        }
        crc.update(buffer.flip());
      }
      check(storage, crc);
    }
  }

  private void read(List<Storage> share) throws IOException {
    for (Storage storage : share) {
      long from = at.get(storage);
      ByteBuffer window =
          new BytePointer(destination).position(from).limit(from + storage.nbytes()).asByteBuffer();
      for (long position = storage.offset(); window.hasRemaining(); ) {
        position += channel.read(window, position);
      }
    }
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  private void mapped(MappedWork work) throws IOException {
    try (PointerScope scope = new PointerScope()) {
      long size = Files.size(file);
      Tensor map =
          torch.from_file(
              file.toString(),
              new BoolOptional(false),
              new LongOptional(size),
              new TensorOptions(ScalarType.Byte));
      work.run(new BytePointer(map.data_ptr()).capacity(size));
    } // the mapping is unmapped here
  }

  private interface MappedWork {
    void run(BytePointer map) throws IOException;
  }

  private void checksumMapped(BytePointer map) throws IOException {
    for (Storage storage : storages) {
      CRC32 crc = new CRC32();
      crc.update(
          map.position(storage.offset()).limit(storage.offset() + storage.nbytes()).asByteBuffer());
      check(storage, crc);
    }
  }

  private void copyMapped(BytePointer map) {
    for (Storage storage : storages) {
      Pointer.memcpy(
          new BytePointer(destination).position(at.get(storage)),
          map.position(storage.offset()),
          storage.nbytes());
    }
  }

  private void check(Storage storage, CRC32 crc) throws IOException {
    if (storage.crc32() >= 0 && crc.getValue() != storage.crc32()) {
      throw new IOException(storage.name() + " fails its CRC-32 check");
    }
  }
}
