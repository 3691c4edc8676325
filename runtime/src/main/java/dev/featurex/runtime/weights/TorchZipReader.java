package dev.featurex.runtime.weights;

import dev.featurex.runtime.CheckpointFormat;
import dev.featurex.runtime.StateDictFormatException;
import dev.featurex.runtime.weights.PyValues.PyGlobal;
import dev.featurex.runtime.weights.PyValues.PyTuple;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the zip archive of {@code torch.save}: {@code <name>/data.pkl}, the pickle of the saved
 * object, whose tensors refer to their storages by persistent ids {@code ('storage',
 * torch.FloatStorage, '<key>', 'cpu', numel)}; the records {@code <name>/data/<key>} with the
 * storages' bytes; and {@code <name>/byteorder} ({@code little} when absent). Storages are located,
 * checked to be large enough, and shared by every tensor that names them; no tensor data is read
 * here.
 */
final class TorchZipReader {

  /** The largest {@code data.pkl} read; a state dict's is a few hundred kilobytes at most. */
  static final long MAX_PICKLE = 1L << 30;

  private TorchZipReader() {}

  /** Reads the structure of the torch zip archive {@code file}. */
  static Checkpoint read(Path file, FileChannel channel) throws IOException {
    ZipArchive zip = ZipArchive.open(file, channel);
    String prefix = prefix(file, zip);
    ByteOrder order = byteOrder(file, channel, zip, prefix);
    ZipArchive.Entry pickle = zip.entries().get(prefix + "data.pkl");
    if (pickle.size() > MAX_PICKLE) {
      throw new StateDictFormatException(
          file,
          prefix
              + "data.pkl has "
              + pickle.size()
              + " bytes; at most "
              + MAX_PICKLE
              + " are read (a state dict's pickle is a few hundred kilobytes)");
    }
    byte[] bytes = RecordReader.readSmall(file, channel, pickle);
    Map<String, Storage> storages = new HashMap<>();
    PickleInput in = PickleInput.of(file, prefix + "data.pkl", bytes);
    Object root = SafeUnpickler.load(in, pid -> storage(in, zip, prefix, order, storages, pid));
    return new Checkpoint(file, CheckpointFormat.TORCH_ZIP, root);
  }

  /** The directory that holds the archive's records: {@code archive/}, or the file's stem. */
  private static String prefix(Path file, ZipArchive zip) throws StateDictFormatException {
    String found = null;
    for (String name : zip.entries().keySet()) {
      int slash = name.indexOf('/');
      if (slash > 0 && name.substring(slash).equals("/data.pkl")) {
        if (found != null) {
          throw new StateDictFormatException(file, "the archive holds two data.pkl records");
        }
        found = name.substring(0, slash + 1);
      }
    }
    if (found == null) {
      throw new StateDictFormatException(
          file,
          "a zip archive without data.pkl, so not a torch.save file (it holds "
              + firstNames(zip)
              + ")");
    }
    if (zip.entries().containsKey(found + "constants.pkl")) {
      throw new StateDictFormatException(
          file,
          "a TorchScript archive (torch.jit.save), not a state dict; in Python, save its"
              + " state dict: torch.save(torch.jit.load(path).state_dict(), out)");
    }
    return found;
  }

  private static String firstNames(ZipArchive zip) {
    List<String> names = zip.entries().keySet().stream().limit(5).toList();
    return names + (zip.entries().size() > 5 ? " and " + (zip.entries().size() - 5) + " more" : "");
  }

  private static ByteOrder byteOrder(Path file, FileChannel channel, ZipArchive zip, String prefix)
      throws IOException {
    ZipArchive.Entry entry = zip.entries().get(prefix + "byteorder");
    if (entry == null) {
      return ByteOrder.LITTLE_ENDIAN;
    }
    if (entry.size() > 16) {
      throw new StateDictFormatException(file, prefix + "byteorder is not \"little\" or \"big\"");
    }
    String text =
        new String(RecordReader.readSmall(file, channel, entry), StandardCharsets.US_ASCII).strip();
    return switch (text) {
      case "little" -> ByteOrder.LITTLE_ENDIAN;
      case "big" -> ByteOrder.BIG_ENDIAN;
      default ->
          throw new StateDictFormatException(
              file, prefix + "byteorder is \"" + text + "\", not \"little\" or \"big\"");
    };
  }

  /** A storage's persistent id: {@code ('storage', torch.FloatStorage, key, location, numel)}. */
  private static StorageView storage(
      PickleInput in,
      ZipArchive zip,
      String prefix,
      ByteOrder order,
      Map<String, Storage> storages,
      Object pid)
      throws StateDictFormatException {
    if (!(pid instanceof PyTuple t)
        || t.size() < 5
        || !"storage".equals(t.get(0))
        || !(t.get(1) instanceof PyGlobal type)
        || !(t.get(2) instanceof String key)
        || !(t.get(4) instanceof Long numel)
        || numel < 0) {
      throw in.corrupt(
          "a persistent id in "
              + in.part()
              + " is not ('storage', type, key, location, numel);"
              + " the file is corrupt");
    }
    DType dtype = storageType(in, type);
    Storage known = storages.get(key);
    if (known != null) {
      if (known.dtype() != dtype || known.numel() != numel) {
        throw in.corrupt("storage " + key + " is declared twice with different types or sizes");
      }
      return new StorageView(known, 0, numel);
    }
    String name = prefix + "data/" + key;
    ZipArchive.Entry record = zip.entries().get(name);
    if (record == null) {
      throw in.corrupt(in.part() + " refers to storage " + key + " but the archive has no " + name);
    }
    long nbytes;
    try {
      nbytes = Math.multiplyExact(numel, dtype.size());
    } catch (ArithmeticException e) {
      throw in.corrupt("storage " + key + " declares " + numel + " elements, which overflows");
    }
    if (record.size() < nbytes || record.deflated() && record.size() != nbytes) {
      throw in.corrupt(
          name
              + " has "
              + record.size()
              + " bytes but its storage of "
              + numel
              + " "
              + dtype.torchName()
              + " needs "
              + nbytes
              + "; the file is truncated or corrupt");
    }
    Storage storage =
        new Storage(
            name,
            dtype,
            numel,
            record.dataOffset(),
            record.storedSize(),
            record.deflated(),
            record.deflated() || record.size() == nbytes ? record.crc32() : -1,
            order);
    storages.put(key, storage);
    return new StorageView(storage, 0, numel);
  }

  static DType storageType(PickleInput in, PyGlobal type) throws StateDictFormatException {
    if (type.module().equals("torch")) {
      var dtype = DType.ofStorageClass(type.name());
      if (dtype.isPresent()) {
        return dtype.get();
      }
    }
    throw in.corrupt(
        "a storage in " + in.part() + " has the type " + type + ", which is not a storage class");
  }
}
