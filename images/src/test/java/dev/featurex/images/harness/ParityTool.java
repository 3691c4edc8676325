package dev.featurex.images.harness;

import dev.featurex.images.ImageDecodeException;
import dev.featurex.images.ImageDecoder;
import dev.featurex.images.Preprocessing;
import dev.featurex.images.RgbImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Java side of the parity harness ({@code images/scripts/parity.sh}), not a test: for each
 * image listed in {@code WORK/list.txt} (name, file, PIL's decoded width and height), writes
 *
 * <ul>
 *   <li>{@code java/NAME.rgb}: the decoder's RGB bytes, to compare with PIL's decoding;
 *   <li>{@code java/NAME.f32}: decode + ImageNet preprocessing (float32 little-endian CHW);
 *   <li>{@code java/NAME.resample.f32}: the preprocessing of PIL's own decoded pixels ({@code
 *       pil/NAME.rgb}): the resampling alone, decoding taken out;
 * </ul>
 *
 * or {@code java/NAME.error} with the decoder's message.
 */
public final class ParityTool {

  private ParityTool() {}

  /** Usage: {@code ParityTool WORK}. */
  public static void main(String[] args) throws IOException {
    Path work = Path.of(args[0]);
    Path out = Files.createDirectories(work.resolve("java"));
    Preprocessing preprocessing = Preprocessing.imagenet();
    ImageDecoder decoder = ImageDecoder.create();
    List<String> lines = Files.readAllLines(work.resolve("list.txt"));
    for (String line : lines) {
      String[] f = line.split("\t");
      String name = f[0];
      try {
        RgbImage mine = decoder.decode(Path.of(f[1]));
        Files.write(out.resolve(name + ".rgb"), mine.pixels());
        write(out.resolve(name + ".f32"), preprocessing.apply(mine));
      } catch (ImageDecodeException e) {
        Files.writeString(out.resolve(name + ".error"), e.getMessage());
      }
      Path pil = work.resolve("pil").resolve(name + ".rgb");
      if (Files.exists(pil)) {
        RgbImage theirs =
            new RgbImage(Integer.parseInt(f[2]), Integer.parseInt(f[3]), Files.readAllBytes(pil));
        write(out.resolve(name + ".resample.f32"), preprocessing.apply(theirs));
      }
    }
  }

  private static void write(Path file, float[] values) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    Files.write(file, bytes.array());
  }
}
