package dev.featurex.runtime;

import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** The checkpoint files of {@code src/test/resources/checkpoints/} and how to check them. */
final class Checkpoints {

  private Checkpoints() {}

  /** Copies the resource {@code checkpoints/name} into {@code dir}. */
  static Path copy(String name, Path dir) {
    Path file = dir.resolve(name);
    try (InputStream in = Checkpoints.class.getResourceAsStream("/checkpoints/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no test resource checkpoints/" + name);
      }
      Files.copy(in, file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One line of an {@code *_expected.txt}: key, dtype, shape and every value as a double. */
  record Expected(String key, String dtype, List<Long> shape, double[] values) {}

  /** The lines of the resource {@code checkpoints/name}, in order. */
  static Map<String, Expected> expected(String name) {
    Map<String, Expected> out = new LinkedHashMap<>();
    try (InputStream in = Checkpoints.class.getResourceAsStream("/checkpoints/" + name)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        int open = line.indexOf('[');
        int close = line.indexOf(']');
        String[] head = line.substring(0, open).trim().split(" ");
        String dims = line.substring(open + 1, close).trim();
        List<Long> shape =
            dims.isEmpty()
                ? List.of()
                : Arrays.stream(dims.split(", ")).map(Long::parseLong).toList();
        String rest = line.substring(close + 1).trim();
        double[] values =
            rest.isEmpty()
                ? new double[0]
                : Arrays.stream(rest.split(" ")).mapToDouble(Double::parseDouble).toArray();
        out.put(head[0], new Expected(head[0], head[1], shape, values));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Asserts that {@code actual} holds exactly the tensors of {@code expected}. */
  static void assertTensors(Map<String, Tensor> actual, Map<String, Expected> expected) {
    assertWithMessage("keys").that(actual.keySet()).containsExactlyElementsIn(expected.keySet());
    expected.forEach((key, e) -> assertTensor(key, actual.get(key), e));
  }

  static void assertTensor(String key, Tensor tensor, Expected e) {
    assertWithMessage(key + " dtype").that(dtypeName(tensor)).isEqualTo(e.dtype());
    assertWithMessage(key + " shape")
        .that(Arrays.stream(tensor.sizes().vec().get()).boxed().toList())
        .containsExactlyElementsIn(e.shape())
        .inOrder();
    assertWithMessage(key + " values").that(values(tensor)).isEqualTo(e.values());
  }

  /** The elements of {@code tensor} in row-major order, as doubles. */
  static double[] values(Tensor tensor) {
    Tensor d = tensor.to(ScalarType.Double).contiguous();
    double[] out = new double[(int) d.numel()];
    if (out.length > 0) {
      new DoublePointer(d.data_ptr()).capacity(out.length).get(out);
    }
    return out;
  }

  static String dtypeName(Tensor tensor) {
    return switch (tensor.scalar_type().intern()) {
      case Float -> "float32";
      case Half -> "float16";
      case BFloat16 -> "bfloat16";
      case Double -> "float64";
      case Long -> "int64";
      case Int -> "int32";
      case Short -> "int16";
      case Char -> "int8";
      case Byte -> "uint8";
      case Bool -> "bool";
      default -> tensor.scalar_type().toString();
    };
  }
}
