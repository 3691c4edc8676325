package dev.featurex.cli.output;

import dev.featurex.cli.extract.FeatureBatch;
import dev.featurex.images.ImageSource;
import dev.featurex.runtime.io.AtomicFiles;
import dev.featurex.runtime.weights.SafetensorsHeader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output of {@code extract}, written whole or not at all: features are appended to hidden
 * temporary files beside the output as batches arrive; {@link #commit} writes the final files as
 * temporaries too and renames them into place ({@code OUTPUT.paths} first, the features last), and
 * {@link #abort} deletes every temporary. The two exclude each other, so an interrupt during a
 * commit waits for it: after either, the output is whole or absent.
 *
 * <p>{@code OUTPUT.paths} lists the image of each row, one per line, in row order.
 */
public final class FeatureFiles implements AutoCloseable {

  private final Path output;
  private final OutputFormat format;
  private final List<String> keys;
  private final Map<String, String> metadata;
  private final Map<String, Spool> spools = new LinkedHashMap<>();
  private final List<Path> temps = new ArrayList<>();
  private final BufferedWriter paths;
  private final Path pathsTemp;
  private long rows;
  private boolean finished;

  /**
   * Temporary files for {@code keys} beside {@code output}.
   *
   * @param metadata what the safetensors header records ({@code model}, {@code nodes}, ...)
   * @throws IOException when the temporaries cannot be created, or a destination exists and is not
   *     a regular file (a symbolic link is followed: its target is replaced, the link kept)
   * @throws IllegalArgumentException when a safetensors key is {@value SafetensorsHeader#METADATA}
   */
  public FeatureFiles(
      Path output, OutputFormat format, List<String> keys, Map<String, String> metadata)
      throws IOException {
    this.output = output.toAbsolutePath();
    this.format = format;
    this.keys = List.copyOf(keys);
    this.metadata = new LinkedHashMap<>(metadata);
    if (format == OutputFormat.SAFETENSORS && keys.contains(SafetensorsHeader.METADATA)) {
      throw new IllegalArgumentException(
          "the key \"" + SafetensorsHeader.METADATA + "\" is reserved by the safetensors format");
    }
    try {
      for (Path destination : destinations()) {
        AtomicFiles.target(destination); // refuses a directory, device, FIFO or socket up front
      }
      for (String key : keys) {
        Path file = temp(this.output, "." + safe(key) + ".spool");
        spools.put(key, new Spool(key, file));
      }
      pathsTemp = temp(pathsFile(this.output), "");
      paths = Files.newBufferedWriter(pathsTemp, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      abort();
      throw e;
    }
  }

  /** {@code OUTPUT.paths}. */
  public static Path pathsFile(Path output) {
    return output.resolveSibling(output.getFileName() + ".paths");
  }

  /** The files {@link #commit} writes, features first, then {@code OUTPUT.paths}. */
  public List<Path> destinations() {
    List<Path> files = new ArrayList<>();
    if (format == OutputFormat.SAFETENSORS || keys.size() == 1) {
      files.add(output);
    } else {
      for (String key : keys) {
        files.add(npyFile(key));
      }
    }
    files.add(pathsFile(output));
    return files;
  }

  /** The rows appended so far. */
  public synchronized long rows() {
    return rows;
  }

  /** Appends a batch's rows. */
  public synchronized void append(FeatureBatch batch) throws IOException {
    checkOpen();
    for (String key : keys) {
      FeatureBatch.Feature feature = batch.features().get(key);
      spools.get(key).append(feature.rowShape(), feature.data(), batch.size());
    }
    for (ImageSource source : batch.sources()) {
      String name = source.name();
      if (name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
        throw new IOException("an image path holds a line break: " + name);
      }
      paths.write(name);
      paths.write('\n');
    }
    rows += batch.size();
  }

  /**
   * Writes the final files and renames them into place.
   *
   * @throws IllegalStateException when no row was appended, or after {@link #abort}
   */
  public synchronized void commit() throws IOException {
    checkOpen();
    if (rows == 0) {
      throw new IllegalStateException("no rows to write");
    }
    try {
      paths.close();
      List<Path> finals = new ArrayList<>();
      List<Path> destinations = destinations();
      if (format == OutputFormat.SAFETENSORS) {
        finals.add(writeSafetensors());
      } else {
        for (String key : keys) {
          finals.add(writeNpy(spools.get(key)));
        }
      }
      move(pathsTemp, destinations.get(destinations.size() - 1));
      for (int i = 0; i < finals.size(); i++) {
        move(finals.get(i), destinations.get(i));
      }
      finished = true;
    } finally {
      deleteTemps();
    }
  }

  /** Deletes every temporary file; the destinations are left as they were. Idempotent. */
  public synchronized void abort() {
    finished = true;
    deleteTemps();
  }

  /** Same as {@link #abort} unless committed. */
  @Override
  public void close() {
    abort();
  }

  private Path writeSafetensors() throws IOException {
    Map<String, Spool.Shape> shapes = new LinkedHashMap<>();
    for (Spool spool : spools.values()) {
      shapes.put(spool.key(), spool.shape());
    }
    Path file = temp(output, "");
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
      write(out, Headers.safetensors(shapes, metadata));
      for (Spool spool : spools.values()) {
        spool.copyTo(out);
      }
      out.force(true);
    }
    return file;
  }

  private Path writeNpy(Spool spool) throws IOException {
    Path destination = keys.size() == 1 ? output : npyFile(spool.key());
    Path file = temp(destination, "");
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
      write(out, Headers.npy(spool.shape().shape()));
      spool.copyTo(out);
      out.force(true);
    }
    return file;
  }

  private Path npyFile(String key) {
    String name = output.getFileName().toString();
    String stem =
        name.toLowerCase(java.util.Locale.ROOT).endsWith(".npy")
            ? name.substring(0, name.length() - 4)
            : name;
    return output.resolveSibling(stem + "." + safe(key) + ".npy");
  }

  private static void write(FileChannel out, byte[] bytes) throws IOException {
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }

  /** A temporary file in the folder of {@code beside}'s target (see {@link AtomicFiles}). */
  private Path temp(Path beside, String suffix) throws IOException {
    Path file = AtomicFiles.createTemp(beside, suffix + ".part");
    temps.add(file);
    return file;
  }

  private static void move(Path temp, Path destination) throws IOException {
    AtomicFiles.commit(temp, destination);
  }

  private void deleteTemps() {
    try {
      if (paths != null) {
        paths.close();
      }
    } catch (IOException e) {
      // deleted below all the same
    }
    for (Spool spool : spools.values()) {
      try {
        spool.close();
      } catch (IOException e) {
        // deleted below all the same
      }
    }
    for (Path temp : temps) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // best effort: a temporary we cannot delete is hidden and named after the output
      }
    }
  }

  private void checkOpen() {
    if (finished) {
      throw new IllegalStateException("the output was already committed or aborted");
    }
  }

  /** A key as a file name part: letters, digits, {@code _ - .} kept, anything else {@code _}. */
  private static String safe(String key) {
    return key.replaceAll("[^A-Za-z0-9_.-]", "_");
  }
}
