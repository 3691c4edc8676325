package dev.featurex.runtime.weights;

import dev.featurex.runtime.CheckpointFormat;
import dev.featurex.runtime.StateDictFormatException;
import dev.featurex.runtime.weights.PyValues.PyDict;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads the header of a {@code .safetensors} file: an 8-byte little-endian length, that many bytes
 * of JSON ({@code {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, ...,
 * "__metadata__": {...}}}), then the data. Enforces the format's own rules: the header is at most
 * 100 MB, every tensor's bytes match its dtype and shape, and the tensors tile the data without
 * overlap or gap, inside the file.
 */
final class SafetensorsReader {

  /** The format's limit on the header. */
  static final long MAX_HEADER = 100_000_000;

  private SafetensorsReader() {}

  /** The tensors of {@code file}, in the order of their data. */
  static Checkpoint read(Path file, FileChannel channel) throws IOException {
    long size = channel.size();
    long length = ZipArchive.read(channel, 0, 8).getLong(0);
    if (length < 2 || length > MAX_HEADER || length > size - 8) {
      throw new StateDictFormatException(
          file,
          "safetensors header of "
              + length
              + " bytes does not fit in the file of "
              + size
              + " bytes (at most "
              + MAX_HEADER
              + "); the file is truncated or corrupt");
    }
    Object header = parse(file, ZipArchive.read(channel, 8, (int) length).array());
    if (!(header instanceof Map<?, ?> map)) {
      throw new StateDictFormatException(file, "the safetensors header is not a JSON object");
    }
    long dataStart = 8 + length;
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String name = (String) e.getKey();
      if (!name.equals(SafetensorsHeader.METADATA)) {
        entries.add(entry(file, name, e.getValue(), dataStart));
      }
    }
    entries.sort(Comparator.comparingLong(Entry::begin));
    long end = 0;
    PyDict tensors = new PyDict(true);
    for (Entry entry : entries) {
      if (entry.begin != end) {
        throw new StateDictFormatException(
            file,
            "safetensors tensor \""
                + entry.name
                + "\" starts at data byte "
                + entry.begin
                + " but the one before it ends at "
                + end
                + " (the tensors must tile the data)");
      }
      end = entry.end;
      tensors.entries.put(entry.name, entry.tensor);
    }
    if (dataStart + end != size) {
      throw new StateDictFormatException(
          file,
          "the safetensors tensors end at byte "
              + (dataStart + end)
              + " of a file of "
              + size
              + " bytes; the file is "
              + (dataStart + end > size ? "truncated" : "corrupt"));
    }
    return new Checkpoint(file, CheckpointFormat.SAFETENSORS, tensors);
  }

  private record Entry(String name, long begin, long end, TensorRef tensor) {}

  private static Object parse(Path file, byte[] bytes) throws StateDictFormatException {
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(bytes))
              .toString();
      return Json.parse(text);
    } catch (CharacterCodingException e) {
      throw new StateDictFormatException(file, "the safetensors header is not UTF-8");
    } catch (Json.JsonException e) {
      throw new StateDictFormatException(
          file, "the safetensors header is not JSON: " + e.getMessage());
    }
  }

  private static Entry entry(Path file, String name, Object value, long dataStart)
      throws StateDictFormatException {
    if (!(value instanceof Map<?, ?> fields)
        || !(fields.get("dtype") instanceof String code)
        || !(fields.get("shape") instanceof List<?> shapeList)
        || !(fields.get("data_offsets") instanceof List<?> offsets)
        || offsets.size() != 2
        || shapeList.size() > TorchGlobals.MAX_DIMS) {
      throw bad(
          file, name, "is not {\"dtype\": str, \"shape\": [int], \"data_offsets\": [begin, end]}");
    }
    DType dtype =
        DType.ofSafetensors(code)
            .orElseThrow(
                () ->
                    bad(
                        file,
                        name,
                        "has dtype "
                            + code
                            + ", which featurex does not read"
                            + " (it reads F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)"));
    long[] shape = new long[shapeList.size()];
    long numel = 1;
    try {
      for (int d = 0; d < shape.length; d++) {
        shape[d] = natural(file, name, shapeList.get(d));
        numel = Math.multiplyExact(numel, shape[d]);
      }
      long begin = natural(file, name, offsets.get(0));
      long end = natural(file, name, offsets.get(1));
      long nbytes = Math.multiplyExact(numel, dtype.size());
      if (end < begin || end - begin != nbytes) {
        throw bad(
            file,
            name,
            "has data_offsets ["
                + begin
                + ", "
                + end
                + "] for "
                + nbytes
                + " bytes of "
                + dtype.safetensorsName()
                + " "
                + java.util.Arrays.toString(shape));
      }
      long[] stride = new long[shape.length];
      long step = 1;
      for (int d = shape.length - 1; d >= 0; d--) {
        stride[d] = step;
        step *= shape[d];
      }
      Storage storage =
          new Storage(
              name,
              dtype,
              numel,
              Math.addExact(dataStart, begin),
              nbytes,
              false,
              -1,
              ByteOrder.LITTLE_ENDIAN);
      return new Entry(name, begin, end, new TensorRef(storage, 0, shape, stride));
    } catch (ArithmeticException e) {
      throw bad(file, name, "has a shape or offsets that overflow");
    }
  }

  private static long natural(Path file, String name, Object value)
      throws StateDictFormatException {
    if (value instanceof Long n && n >= 0) {
      return n;
    }
    throw bad(file, name, "has " + value + " where a size or offset (an integer >= 0) belongs");
  }

  private static StateDictFormatException bad(Path file, String name, String problem) {
    return new StateDictFormatException(file, "safetensors tensor \"" + name + "\" " + problem);
  }
}
