package dev.featurex.images;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The CI reference data made once by torchvision ({@code images/scripts/make_test_images.py}):
 * images and torchvision's preprocessed tensors, in {@code src/test/resources/.../reference}.
 */
final class Reference {

  static final String DIR = "/dev/featurex/images/reference/";

  /** One line of {@code cases.txt}. */
  record Case(
      String name,
      String image,
      String resize,
      String crop,
      Interpolation interpolation,
      float[] mean,
      float[] std,
      boolean lossless,
      String expected,
      int step) {

    Preprocessing preprocessing() {
      Preprocessing.Builder b = Preprocessing.builder().interpolation(interpolation);
      int[] r = ints(resize);
      if (r.length == 1) {
        b.resize(r[0]);
      } else {
        b.resize(r[0], r[1]);
      }
      int[] c = ints(crop);
      return b.centerCrop(c[0], c[1])
          .mean(mean[0], mean[1], mean[2])
          .std(std[0], std[1], std[2])
          .build();
    }

    float[] expectedValues() {
      ByteBuffer bytes = ByteBuffer.wrap(gunzip(bytes(expected))).order(ByteOrder.LITTLE_ENDIAN);
      float[] out = new float[bytes.remaining() / 4];
      bytes.asFloatBuffer().get(out);
      return out;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (String line : new String(bytes("cases.txt"), StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      cases.add(
          new Case(
              f[0],
              f[1],
              f[2],
              f[3],
              Interpolation.valueOf(f[4]),
              floats(f[5]),
              floats(f[6]),
              f[7].equals("1"),
              f[8],
              Integer.parseInt(f[9])));
    }
    return cases;
  }

  static byte[] bytes(String file) {
    try (InputStream in = Reference.class.getResourceAsStream(DIR + file)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + DIR + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] gunzip(byte[] data) {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int[] ints(String text) {
    return Arrays.stream(text.split("x")).mapToInt(Integer::parseInt).toArray();
  }

  private static float[] floats(String text) {
    String[] parts = text.split(",");
    float[] out = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Float.parseFloat(parts[i]);
    }
    return out;
  }

  /** Every {@code step}-th row and column of a {@code 3 x h x w} array, as the script stores it. */
  static float[] subsample(float[] chw, int h, int w, int step) {
    if (step == 1) {
      return chw;
    }
    int sh = (h + step - 1) / step;
    int sw = (w + step - 1) / step;
    float[] out = new float[3 * sh * sw];
    int o = 0;
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y += step) {
        for (int x = 0; x < w; x += step) {
          out[o++] = chw[c * h * w + y * w + x];
        }
      }
    }
    return out;
  }

  private Reference() {}
}
