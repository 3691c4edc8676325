package dev.featurex.runtime.weights;

import dev.featurex.runtime.CheckpointFormat;
import dev.featurex.runtime.StateDictFormatException;
import dev.featurex.runtime.weights.PyValues.PyDict;
import dev.featurex.runtime.weights.PyValues.PyGlobal;
import dev.featurex.runtime.weights.PyValues.PyTuple;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the legacy format of {@code torch.save} (before PyTorch 1.6): five pickles in a row, the
 * magic number {@code 0x1950a86a20f9469cfc6c}, the protocol version 1001, the system info ({@code
 * little_endian}), the saved object, whose storages are persistent ids {@code ('storage',
 * torch.FloatStorage, key, location, numel, view)}, and the list of storage keys; then, in that
 * order, each storage as an 8-byte element count and its raw elements. The object's pickle is read
 * twice: once to find where it ends and which storages it declares, once, after the storages are
 * located and checked against the file, to build it.
 */
final class LegacyReader {

  /** The first pickle of every legacy file. */
  static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);

  private static final long PROTOCOL = 1001;

  private LegacyReader() {}

  /** Declared storages: key to (type, element count). */
  private record Declared(DType dtype, long numel) {}

  /** Reads the structure of the legacy file {@code file}. */
  static Checkpoint read(Path file, FileChannel channel) throws IOException {
    long size = channel.size();
    PickleInput header = PickleInput.of(file, "the legacy header", channel, 0, size);
    Object magic = SafeUnpickler.load(header, noPersistentIds(header));
    Object protocol = SafeUnpickler.load(header, noPersistentIds(header));
    Object sysInfo = SafeUnpickler.load(header, noPersistentIds(header));
    if (!MAGIC.equals(magic instanceof Long l ? BigInteger.valueOf(l) : magic)
        || !Long.valueOf(PROTOCOL).equals(protocol)
        || !(sysInfo instanceof PyDict info)) {
      throw new StateDictFormatException(
          file,
          "not a legacy torch.save file (its magic number, protocol 1001 or system info is"
              + " missing)");
    }
    ByteOrder order =
        Boolean.FALSE.equals(info.entries.get("little_endian"))
            ? ByteOrder.BIG_ENDIAN
            : ByteOrder.LITTLE_ENDIAN;
    long objectStart = header.position();
    Map<String, Declared> declared = new LinkedHashMap<>();
    PickleInput scan = PickleInput.of(file, "the legacy pickle", channel, objectStart, size);
    SafeUnpickler.load(scan, pid -> declare(scan, declared, pid, order));
    PickleInput keysInput =
        PickleInput.of(file, "the legacy storage keys", channel, scan.position(), size);
    Object keys = SafeUnpickler.load(keysInput, noPersistentIds(keysInput));
    Map<String, Storage> storages =
        locate(file, channel, declared, keys, keysInput.position(), order);
    PickleInput object = PickleInput.of(file, "the legacy pickle", channel, objectStart, size);
    Map<String, StorageView> views = new HashMap<>();
    Object root = SafeUnpickler.load(object, pid -> resolve(object, storages, views, pid));
    return new Checkpoint(file, CheckpointFormat.TORCH_LEGACY, root);
  }

  private static SafeUnpickler.PersistentLoader noPersistentIds(PickleInput in) {
    return pid -> {
      throw in.corrupt(in.part() + " has a persistent id; the file is corrupt");
    };
  }

  /** The persistent id's fields, checked: type, root key, element count, view (or null). */
  private static PyTuple storageId(PickleInput in, Object pid) throws StateDictFormatException {
    if (pid instanceof PyTuple t && t.size() >= 1 && "module".equals(t.get(0))) {
      throw in.corrupt(
          "the file holds a whole model (torch.save(model)), whose code featurex does not run;"
              + " in Python, save its state dict: torch.save(model.state_dict(), path)");
    }
    if (!(pid instanceof PyTuple t)
        || t.size() != 6
        || !"storage".equals(t.get(0))
        || !(t.get(1) instanceof PyGlobal)
        || !(t.get(2) instanceof String)
        || !(t.get(4) instanceof Long numel)
        || numel < 0) {
      throw in.corrupt(
          "a persistent id in "
              + in.part()
              + " is not ('storage', type, key, location, numel,"
              + " view); the file is corrupt");
    }
    return t;
  }

  /**
   * Records a storage the first pass meets, and stands in for it with a storage of unbounded size
   * (the second pass checks the tensors against the real one).
   */
  private static StorageView declare(
      PickleInput in, Map<String, Declared> declared, Object pid, ByteOrder order)
      throws StateDictFormatException {
    PyTuple t = storageId(in, pid);
    DType dtype = TorchZipReader.storageType(in, (PyGlobal) t.get(1));
    Declared d = new Declared(dtype, (Long) t.get(4));
    Declared known = declared.putIfAbsent((String) t.get(2), d);
    if (known != null && !known.equals(d)) {
      throw in.corrupt("storage " + t.get(2) + " is declared twice with different types or sizes");
    }
    Storage unbounded = new Storage("(first pass)", dtype, Long.MAX_VALUE, 0, 0, false, -1, order);
    return new StorageView(unbounded, 0, Long.MAX_VALUE);
  }

  /**
   * Where each storage's elements are: after the keys, in the keys' order, each after its count.
   */
  private static Map<String, Storage> locate(
      Path file,
      FileChannel channel,
      Map<String, Declared> declared,
      Object keys,
      long position,
      ByteOrder order)
      throws IOException {
    if (!(keys instanceof List<?> list) || list.size() != declared.size()) {
      throw new StateDictFormatException(
          file,
          "the legacy storage keys do not list the "
              + declared.size()
              + " storages; the"
              + " file is corrupt");
    }
    Map<String, Storage> storages = new HashMap<>();
    long size = channel.size();
    for (Object key : list) {
      Declared d = declared.get(key);
      if (d == null || storages.containsKey(key)) {
        throw new StateDictFormatException(
            file, "the legacy storage keys list " + key + " wrongly");
      }
      if (position + 8 > size) {
        throw truncated(file, key);
      }
      ByteBuffer count = ZipArchive.read(channel, position, 8).order(order);
      long numel = count.getLong(0);
      if (numel != d.numel()) {
        throw new StateDictFormatException(
            file,
            "legacy storage "
                + key
                + " holds "
                + numel
                + " elements but its tensors declare "
                + d.numel()
                + "; the file is corrupt");
      }
      if (numel > size || position + 8 + numel * d.dtype().size() > size) {
        throw truncated(file, key);
      }
      long nbytes = numel * d.dtype().size();
      storages.put(
          (String) key,
          new Storage(
              "legacy storage " + key, d.dtype(), numel, position + 8, nbytes, false, -1, order));
      position += 8 + nbytes;
    }
    return storages;
  }

  private static StateDictFormatException truncated(Path file, Object key) {
    return new StateDictFormatException(
        file, "legacy storage " + key + " ends past the end of the file; the file is truncated");
  }

  private static StorageView resolve(
      PickleInput in, Map<String, Storage> storages, Map<String, StorageView> views, Object pid)
      throws StateDictFormatException {
    PyTuple t = storageId(in, pid);
    Storage root = storages.get((String) t.get(2));
    Object view = t.get(5);
    if (view == null) {
      return new StorageView(root, 0, root.numel());
    }
    if (!(view instanceof PyTuple v)
        || v.size() != 3
        || !(v.get(0) instanceof String viewKey)
        || !(v.get(1) instanceof Long offset)
        || !(v.get(2) instanceof Long length)
        || offset < 0
        || length < 0
        || offset > root.numel() - length) {
      throw in.corrupt(
          "a storage view in " + in.part() + " lies outside its storage; the file is corrupt");
    }
    return views.computeIfAbsent(viewKey, k -> new StorageView(root, offset, length));
  }
}
