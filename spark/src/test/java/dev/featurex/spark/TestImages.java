package dev.featurex.spark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/** Generated test images: seeded, of varied sizes and formats, with smooth and noisy regions. */
final class TestImages {

  private TestImages() {}

  /**
   * Writes {@code count} images into {@code dir} (every third into a subfolder, to check recursive
   * listing; JPEGs and PNGs alternating, sizes from 40 to 139 pixels a side) and returns their
   * paths, sorted.
   */
  static List<Path> write(Path dir, int count, long seed) throws IOException {
    Random random = new Random(seed);
    List<Path> paths = new ArrayList<>();
    Files.createDirectories(dir.resolve("sub"));
    for (int i = 0; i < count; i++) {
      int width = 40 + random.nextInt(100);
      int height = 40 + random.nextInt(100);
      BufferedImage image = picture(width, height, random);
      String format = i % 2 == 0 ? "jpg" : "png";
      Path folder = i % 3 == 0 ? dir.resolve("sub") : dir;
      Path file = folder.resolve(String.format("img%03d.%s", i, format));
      if (!ImageIO.write(image, format, file.toFile())) {
        throw new IOException("no ImageIO writer for " + format);
      }
      paths.add(file);
    }
    paths.sort(null);
    return paths;
  }

  /**
   * A JPEG cut in the middle of its data, a text file named like a JPEG, and an empty file named
   * like one (Spark's scan of a folder leaves empty files out; the job must not).
   */
  static List<Path> writeBroken(Path dir) throws IOException {
    BufferedImage image = picture(64, 48, new Random(7));
    Path whole = dir.resolve("whole.tmp");
    ImageIO.write(image, "jpg", whole.toFile());
    byte[] bytes = Files.readAllBytes(whole);
    Files.delete(whole);
    Path truncated = dir.resolve("truncated.jpg");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    Path text = dir.resolve("notes.jpg");
    Files.writeString(text, "not an image\n");
    Path empty = dir.resolve("empty.jpg");
    Files.write(empty, new byte[0]);
    return List.of(empty, text, truncated);
  }

  private static BufferedImage picture(int width, int height, Random random) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int r0 = random.nextInt(256);
    int g0 = random.nextInt(256);
    int b0 = random.nextInt(256);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = (r0 + 255 * x / width) & 0xff;
        int g = (g0 + 255 * y / height) & 0xff;
        int b = (b0 + random.nextInt(64)) & 0xff;
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return image;
  }
}
