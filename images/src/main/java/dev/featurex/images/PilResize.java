package dev.featurex.images;

/**
 * PIL's {@code Image.resize} of an RGB image followed by a crop window, with each resulting byte
 * mapped through a per-channel table into a float CHW array: the resize, the crop and {@code
 * ToTensor + Normalize} in one go.
 *
 * <p>Only the output pixels inside the window are computed, and only the input rows they need: each
 * output pixel of Pillow's resampling depends only on its own inputs, so the window's values are
 * the same as those of the full resize followed by the crop. The passes follow Pillow's order and
 * rounding: horizontal first (on the input rows the vertical pass reads), each pass rounding and
 * clipping to 8 bits; a pass is skipped when its axis keeps its size. Window positions outside the
 * resized image are padding: the table's value for 0, as torchvision pads a crop larger than the
 * image with black.
 */
final class PilResize {

  private PilResize() {}

  /** Where the window lies in the resized image and where its values go. */
  record Window(int top, int left, int height, int width) {}

  /**
   * Resizes {@code src} to {@code outWidth x outHeight} and writes {@code window} of the result
   * into {@code dest} from {@code offset}, channel by channel: {@code dest[offset + c * h * w + y *
   * w + x] = table[c][value]}.
   */
  static void resizeInto(
      RgbImage src,
      int outWidth,
      int outHeight,
      Interpolation filter,
      Window window,
      float[][] table,
      float[] dest,
      int offset) {
    int x0 = Math.max(window.left, 0);
    int x1 = Math.min(window.left + window.width, outWidth);
    int y0 = Math.max(window.top, 0);
    int y1 = Math.min(window.top + window.height, outHeight);
    if (x0 >= x1
        || y0 >= y1
        || x0 != window.left
        || y0 != window.top
        || x1 != window.left + window.width
        || y1 != window.top + window.height) {
      fillPadding(window, table, dest, offset);
    }
    if (x0 >= x1 || y0 >= y1) {
      return;
    }
    Target target = new Target(window, table, dest, offset);
    boolean sameSize = outWidth == src.width() && outHeight == src.height();
    if (sameSize) {
      Rows rows = new Rows(src.pixels(), src.width(), 0, 0);
      target.copy(rows, x0, x1, y0, y1);
    } else if (filter == Interpolation.NEAREST) {
      nearest(src, outWidth, outHeight, target, x0, x1, y0, y1);
    } else {
      convolve(src, outWidth, outHeight, filter, target, x0, x1, y0, y1);
    }
  }

  private static void convolve(
      RgbImage src,
      int outWidth,
      int outHeight,
      Interpolation filter,
      Target target,
      int x0,
      int x1,
      int y0,
      int y1) {
    boolean vertical = outHeight != src.height();
    AxisKernel rowKernel = vertical ? AxisKernel.of(src.height(), outHeight, filter) : null;
    int inRow0 = vertical ? rowKernel.firstInput(y0) : y0;
    int inRow1 = vertical ? rowKernel.endInput(y0, y1) : y1;
    Rows rows;
    if (outWidth != src.width()) {
      AxisKernel colKernel = AxisKernel.of(src.width(), outWidth, filter);
      rows = horizontal(src, colKernel, x0, x1, inRow0, inRow1);
    } else {
      rows = new Rows(src.pixels(), src.width(), 0, 0);
    }
    if (vertical) {
      vertical(rows, rowKernel, target, x0, x1, y0, y1);
    } else {
      target.copy(rows, x0, x1, y0, y1);
    }
  }

  /** The horizontal pass: output columns {@code [x0, x1)} of input rows {@code [r0, r1)}. */
  private static Rows horizontal(RgbImage src, AxisKernel kernel, int x0, int x1, int r0, int r1) {
    int cols = x1 - x0;
    byte[] in = src.pixels();
    byte[] out = new byte[(r1 - r0) * cols * 3];
    int[] first = kernel.first;
    int[] count = kernel.count;
    int[] weights = kernel.weights;
    int stride = kernel.stride;
    int o = 0;
    for (int r = r0; r < r1; r++) {
      int rowBase = r * src.width();
      for (int x = x0; x < x1; x++) {
        int k = x * stride;
        int p = (rowBase + first[x]) * 3;
        int n = count[x];
        int s0 = AxisKernel.HALF;
        int s1 = AxisKernel.HALF;
        int s2 = AxisKernel.HALF;
        for (int t = 0; t < n; t++, p += 3) {
          int w = weights[k + t];
          s0 += (in[p] & 0xff) * w;
          s1 += (in[p + 1] & 0xff) * w;
          s2 += (in[p + 2] & 0xff) * w;
        }
        out[o++] = (byte) AxisKernel.clip8(s0);
        out[o++] = (byte) AxisKernel.clip8(s1);
        out[o++] = (byte) AxisKernel.clip8(s2);
      }
    }
    return new Rows(out, cols, r0, x0);
  }

  /** The vertical pass: output rows {@code [y0, y1)}, columns {@code [x0, x1)}, into the target. */
  private static void vertical(
      Rows rows, AxisKernel kernel, Target target, int x0, int x1, int y0, int y1) {
    int len = (x1 - x0) * 3;
    int[] sums = new int[len];
    byte[] line = new byte[len];
    for (int y = y0; y < y1; y++) {
      java.util.Arrays.fill(sums, AxisKernel.HALF);
      int k = y * kernel.stride;
      int n = kernel.count[y];
      for (int t = 0; t < n; t++) {
        int w = kernel.weights[k + t];
        int p = rows.offset(kernel.first[y] + t, x0);
        byte[] in = rows.data;
        for (int i = 0; i < len; i++) {
          sums[i] += (in[p + i] & 0xff) * w;
        }
      }
      for (int i = 0; i < len; i++) {
        line[i] = (byte) AxisKernel.clip8(sums[i]);
      }
      target.putRow(y, x0, line, 0, x1 - x0);
    }
  }

  /**
   * Pillow's {@code NEAREST} resize (an affine scale): output pixel {@code i} takes input {@code
   * floor(i * scale + scale / 2)}, the position accumulated in double precision step by step as
   * Pillow does, so that the rare rounding cases fall the same way.
   */
  private static void nearest(
      RgbImage src, int outWidth, int outHeight, Target target, int x0, int x1, int y0, int y1) {
    int[] cols = nearestIndex(src.width(), outWidth);
    int[] rowIndex = nearestIndex(src.height(), outHeight);
    byte[] in = src.pixels();
    byte[] line = new byte[(x1 - x0) * 3];
    for (int y = y0; y < y1; y++) {
      int rowBase = rowIndex[y] * src.width();
      for (int x = x0, o = 0; x < x1; x++) {
        int p = (rowBase + cols[x]) * 3;
        line[o++] = in[p];
        line[o++] = in[p + 1];
        line[o++] = in[p + 2];
      }
      target.putRow(y, x0, line, 0, x1 - x0);
    }
  }

  private static int[] nearestIndex(int inSize, int outSize) {
    double step = (double) inSize / outSize;
    double position = step * 0.5;
    int[] index = new int[outSize];
    for (int i = 0; i < outSize; i++) {
      index[i] = Math.min(position < 0.0 ? 0 : (int) position, inSize - 1);
      position += step;
    }
    return index;
  }

  private static void fillPadding(Window window, float[][] table, float[] dest, int offset) {
    int plane = window.height * window.width;
    for (int c = 0; c < 3; c++) {
      java.util.Arrays.fill(dest, offset + c * plane, offset + (c + 1) * plane, table[c][0]);
    }
  }

  /** Interleaved RGB rows, of which the first stored one is input row {@code row0}. */
  private record Rows(byte[] data, int width, int row0, int col0) {
    int offset(int row, int col) {
      return ((row - row0) * width + (col - col0)) * 3;
    }
  }

  /** The window in a float CHW array, written row by row through the per-channel tables. */
  private record Target(Window window, float[][] table, float[] dest, int offset) {

    void copy(Rows rows, int x0, int x1, int y0, int y1) {
      for (int y = y0; y < y1; y++) {
        target(y, x0, rows.data, rows.offset(y, x0), x1 - x0);
      }
    }

    void putRow(int y, int x0, byte[] line, int from, int count) {
      target(y, x0, line, from, count);
    }

    private void target(int y, int x0, byte[] rgb, int from, int count) {
      int plane = window.height * window.width;
      int base = offset + (y - window.top) * window.width + (x0 - window.left);
      float[] red = table[0];
      float[] green = table[1];
      float[] blue = table[2];
      for (int i = 0, p = from; i < count; i++, p += 3) {
        dest[base + i] = red[rgb[p] & 0xff];
        dest[base + plane + i] = green[rgb[p + 1] & 0xff];
        dest[base + 2 * plane + i] = blue[rgb[p + 2] & 0xff];
      }
    }
  }
}
