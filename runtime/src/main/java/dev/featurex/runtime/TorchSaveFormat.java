package dev.featurex.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.ByteVector;
import org.bytedeco.pytorch.CompilationUnit;
import org.bytedeco.pytorch.Function;
import org.bytedeco.pytorch.GenericDict;
import org.bytedeco.pytorch.GenericDictEntryRef;
import org.bytedeco.pytorch.GenericDictIterator;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.QualifiedName;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Reads and writes the zip archives of {@code torch.save} through libtorch's {@code pickle_load}
 * and {@code pickle_save}, and turns libtorch's errors into {@link StateDictFormatException}s that
 * name the file and say how to save it. See {@link StateDict} for what the format supports.
 */
final class TorchSaveFormat {

  /** How to write a file that {@link #read} accepts, for the messages. */
  static final String HOW_TO_SAVE =
      "save it in Python with torch.save(dict(model.state_dict()), path)";

  /**
   * Both {@code byte[]} (our side) and {@code std::vector<char>} (libtorch's side) must hold the
   * file.
   */
  private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

  /** The records of tensor data: {@code <archive name>/data/<storage key>}. */
  private static final Pattern TENSOR_RECORD = Pattern.compile("[^/]+/data/[^/]+");

  private TorchSaveFormat() {}

  /** The entries of the dict in {@code file}, in the file's order, detached from autograd. */
  static Map<String, Tensor> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such state dict file");
    }
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new StateDictFormatException(
          file,
          "the file has "
              + size
              + " bytes; state dicts over 2 GiB are not supported (libtorch's pickle_load reads from memory)");
    }
    IValue root = unpickle(file, Files.readAllBytes(file));
    if (!root.isGenericDict()) {
      throw new StateDictFormatException(
          file, "the file holds " + describe(root) + ", not a dict of tensors; " + HOW_TO_SAVE);
    }
    Map<String, Tensor> entries = entries(file, root.toGenericDict());
    checkRecords(file, entries);
    return entries;
  }

  /**
   * Writes {@code tensors}, in iteration order, as {@code pickle_save} of a {@code Dict[str,
   * Tensor]}.
   */
  static void write(Map<String, Tensor> tensors, Path file) throws IOException {
    IValue dict = DictBuilder.newDict();
    tensors.forEach((key, tensor) -> DictBuilder.put(dict, key, tensor.detach()));
    byte[] bytes;
    try (ByteVector pickled = torch.pickle_save(dict)) {
      if (pickled.size() > MAX_BYTES) {
        throw new IOException(
            file
                + ": the state dict has "
                + pickled.size()
                + " bytes; state dicts over 2 GiB are not supported");
      }
      bytes = pickled.get();
    }
    Files.write(file, bytes);
  }

  private static IValue unpickle(Path file, byte[] bytes) throws StateDictFormatException {
    try (ByteVector buffer = new ByteVector(bytes)) {
      // The tensors own copies of their storages, so the buffer can go right away.
      return torch.pickle_load(buffer);
    } catch (RuntimeException e) {
      throw translate(file, firstLine(e));
    }
  }

  /** libtorch's message for the failures a user can cause, with the fix; else its first line. */
  private static StateDictFormatException translate(Path file, String libtorchMessage) {
    if (libtorchMessage.contains("Expected GenericDict but got None")) {
      return new StateDictFormatException(
          file,
          "the file holds an OrderedDict (what model.state_dict()"
              + " returns), which libtorch cannot read; save a plain dict instead:"
              + " torch.save(dict(model.state_dict()), path)");
    }
    if (libtorchMessage.startsWith("PytorchStreamReader failed reading zip archive")) {
      return new StateDictFormatException(
          file,
          "not a torch.save zip archive (libtorch: "
              + libtorchMessage
              + "); the legacy format of _use_new_zipfile_serialization=False is not"
              + " supported; "
              + HOW_TO_SAVE);
    }
    return new StateDictFormatException(
        file, "not a torch.save state dict (libtorch: " + libtorchMessage + "); " + HOW_TO_SAVE);
  }

  private static Map<String, Tensor> entries(Path file, GenericDict dict)
      throws StateDictFormatException {
    Map<String, Tensor> entries = new LinkedHashMap<>();
    GenericDictIterator end = dict.end();
    for (GenericDictIterator it = dict.begin(); !it.equals(end); it.increment()) {
      GenericDictEntryRef entry = it.access();
      IValue key = entry.key();
      if (!key.isString()) {
        throw new StateDictFormatException(
            file,
            "a key is "
                + describe(key)
                + ", not a str; a state dict maps parameter names to tensors");
      }
      String name = key.toStringRef().getString(StandardCharsets.UTF_8);
      IValue value = entry.value();
      if (!value.isTensor()) {
        throw new StateDictFormatException(
            file,
            "entry \""
                + name
                + "\" is "
                + describe(value)
                + ", not a tensor; a state dict maps parameter names to tensors"
                + (value.isGenericDict()
                    ? " (a training checkpoint? save the state dict alone: "
                        + "torch.save(dict(checkpoint[\""
                        + name
                        + "\"]), path))"
                    : ""));
      }
      // toTensor() is a reference into this IValue: detach() makes a tensor of our own.
      Tensor tensor = value.toTensor().detach();
      checkStorage(file, name, tensor);
      entries.put(name, tensor);
    }
    return Collections.unmodifiableMap(entries);
  }

  /**
   * A corrupt archive can pair a tensor with a storage too small for it: refuse to read past it.
   */
  private static void checkStorage(Path file, String name, Tensor tensor)
      throws StateDictFormatException {
    if (tensor.numel() == 0) {
      return;
    }
    long last = tensor.storage_offset();
    for (int d = 0; d < tensor.dim(); d++) {
      last += (tensor.size(d) - 1) * tensor.stride(d);
    }
    long needed = (last + 1) * tensor.element_size();
    long available = tensor.has_storage() ? tensor.storage().nbytes() : 0;
    if (needed > available) {
      throw new StateDictFormatException(
          file,
          "entry \""
              + name
              + "\" reaches byte "
              + needed
              + " of a storage of "
              + available
              + " bytes; the file is corrupt");
    }
  }

  /**
   * libtorch sizes each storage from the pickle, not from the record that holds its bytes, so a
   * record cut short leaves a storage that reaches past its buffer; refuse such a file before
   * anyone reads a tensor. libtorch gives each tensor a storage of its own even when several share
   * a record, so storages cannot be matched to records one to one: each storage's size must be the
   * size of some record. That misses a short record only if another record has exactly the size its
   * storage claims.
   */
  private static void checkRecords(Path file, Map<String, Tensor> entries)
      throws StateDictFormatException {
    Set<Long> records = new TreeSet<>();
    // The sizes of the central directory, which libtorch reads too. (ZipInputStream cannot read
    // libtorch's archives: stored records followed by data descriptors.)
    try (ZipFile zip = new ZipFile(file.toFile())) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        if (TENSOR_RECORD.matcher(entry.getName()).matches()) {
          records.add(entry.getSize());
        }
      }
    } catch (IOException e) {
      throw new StateDictFormatException(
          file, "the zip archive is damaged (" + e.getMessage() + ")");
    }
    for (Map.Entry<String, Tensor> entry : entries.entrySet()) {
      long bytes = entry.getValue().has_storage() ? entry.getValue().storage().nbytes() : 0;
      if (bytes > 0 && !records.contains(bytes)) {
        throw new StateDictFormatException(
            file,
            "entry \""
                + entry.getKey()
                + "\" has a storage of "
                + bytes
                + " bytes but no tensor record of that size (the records have "
                + records
                + " bytes); the file is corrupt");
      }
    }
  }

  /** A value as a Python user would name it: "an int", "a dict", "a Tensor". */
  private static String describe(IValue value) {
    String tag = value.tagKind().getString();
    return switch (tag) {
      case "Int" -> "an int";
      case "Double" -> "a float";
      case "Bool" -> "a bool";
      case "String" -> "a str";
      case "None" -> "None";
      case "GenericDict" -> "a dict";
      case "GenericList", "TensorList", "IntList", "DoubleList", "BoolList" -> "a list";
      case "Tuple" -> "a tuple";
      case "Tensor" -> "a Tensor";
      default -> "a " + tag;
    };
  }

  /** libtorch appends a C++ stack trace to its messages: keep the first line. */
  private static String firstLine(RuntimeException e) {
    String message = e.getMessage();
    return message == null
        ? e.getClass().getName()
        : message.lines().findFirst().orElse("").strip();
  }

  /**
   * Builds a {@code Dict[str, Tensor]}. The presets give {@code c10::Dict} no constructor and no
   * {@code insert}, so TorchScript does it, compiled once on first use. TorchScript pools the
   * empty-dict literal into one constant that every call returns: each new dict is a copy of it.
   */
  private static final class DictBuilder {

    private static final String SOURCE =
        String.join(
            "\n",
            "def empty_dict() -> Dict[str, Tensor]:",
            "    d: Dict[str, Tensor] = {}",
            "    return d",
            "",
            "def put(d: Dict[str, Tensor], key: str, value: Tensor):",
            "    d[key] = value",
            "");

    private static final CompilationUnit UNIT = torch.compile(SOURCE);
    private static final GenericDict EMPTY =
        UNIT.get_function(new QualifiedName("empty_dict"))
            .apply(new IValueVector())
            .toGenericDict();
    private static final Function PUT = UNIT.get_function(new QualifiedName("put"));

    private DictBuilder() {}

    /** A new, empty {@code Dict[str, Tensor]}; never the shared constant itself. */
    static IValue newDict() {
      return new IValue(EMPTY.copy());
    }

    /** Dicts are references in TorchScript: {@code put} inserts into {@code dict} itself. */
    static void put(IValue dict, String key, Tensor value) {
      IValue name = new IValue(new BytePointer(key, StandardCharsets.UTF_8));
      PUT.apply(new IValueVector(dict, name, new IValue(value)));
    }
  }
}
