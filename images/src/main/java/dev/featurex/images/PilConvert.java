package dev.featurex.images;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;

/**
 * PIL's {@code Image.convert("RGB")} of a decoded image, from the raw samples of ImageIO's raster:
 * never through Java2D's colour conversion, because PIL applies none (no ICC profile, no gamma).
 *
 * <p>The rules, as Pillow 9.4 converts each mode it would have opened the file in:
 *
 * <ul>
 *   <li>RGB and RGBA: the three colour samples; alpha is dropped, not composited (PIL's {@code RGBA
 *       -> RGB} keeps the colour under transparent pixels). 16-bit samples keep their high byte
 *       (PIL reads 16-bit RGB PNGs so).
 *   <li>Grayscale and grayscale + alpha: the gray value in all three channels. A 16-bit grayscale
 *       image without alpha is clipped to 255, as PIL does: it opens it in mode {@code I} (32-bit
 *       integers) and {@code I -> RGB} clips. With alpha (PIL's {@code LA}) the high byte is kept.
 *   <li>Palette (and 1-, 2-, 4-bit): each index through the palette, transparency ignored.
 *   <li>CMYK: {@code R = 255 - K - C * (255 - K) / 255} rounded as PIL's {@code MULDIV255}, and so
 *       for G (M) and B (Y): PIL's naive conversion, no colour profile.
 *   <li>Packed pixels (16- and 32-bit BMPs): each field scaled to 8 bits with {@code v * 255 /
 *       max}, truncated, as PIL unpacks them.
 * </ul>
 */
final class PilConvert {

  private PilConvert() {}

  /**
   * The RGB pixels of {@code image}.
   *
   * @throws UnsupportedOperationException for a layout none of the rules covers (the message says
   *     which)
   */
  static RgbImage toRgb(BufferedImage image) {
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    int space = cm.getColorSpace().getType();
    if (cm instanceof IndexColorModel icm) {
      return palette(raster, icm);
    }
    if (cm instanceof DirectColorModel dcm) {
      return packed(raster, dcm);
    }
    if (cm instanceof ComponentColorModel) {
      int bits = DataBuffer.getDataTypeSize(raster.getTransferType());
      if (bits != 8 && bits != 16) {
        throw unsupported(image, bits + "-bit samples");
      }
      switch (space) {
        case ColorSpace.TYPE_RGB:
          return components(raster, new int[] {0, 1, 2}, bits);
        case ColorSpace.TYPE_GRAY:
          if (bits == 16 && raster.getNumBands() == 1) {
            return gray16Clipped(raster);
          }
          return components(raster, new int[] {0, 0, 0}, bits);
        case ColorSpace.TYPE_CMYK:
          if (bits == 8 && raster.getNumBands() == 4) {
            return cmyk(raster);
          }
          break;
        default:
          break;
      }
    }
    throw unsupported(image, "color space type " + space);
  }

  /** PIL's {@code CMYK -> RGB}: no profile, each of C, M, Y darkened by K. */
  static RgbImage cmyk(Raster raster) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    byte[] out = new byte[w * h * 3];
    int[] row = new int[w * 4];
    for (int y = 0, o = 0; y < h; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
      for (int x = 0; x < w; x++) {
        int nk = 255 - row[4 * x + 3];
        out[o++] = (byte) clip8(nk - mulDiv255(row[4 * x], nk));
        out[o++] = (byte) clip8(nk - mulDiv255(row[4 * x + 1], nk));
        out[o++] = (byte) clip8(nk - mulDiv255(row[4 * x + 2], nk));
      }
    }
    return new RgbImage(w, h, out);
  }

  /** PIL's {@code MULDIV255(a, b)}: {@code a * b / 255}, rounded, in integers. */
  private static int mulDiv255(int a, int b) {
    int tmp = a * b + 128;
    return ((tmp >> 8) + tmp) >> 8;
  }

  private static int clip8(int v) {
    return v < 0 ? 0 : Math.min(v, 255);
  }

  private static RgbImage components(Raster raster, int[] bands, int bits) {
    if (bits == 8
        && raster.getDataBuffer() instanceof DataBufferByte buffer
        && buffer.getNumBanks() == 1
        && raster.getSampleModel() instanceof PixelInterleavedSampleModel model
        && buffer.getOffset() == 0
        && raster.getSampleModelTranslateX() == 0
        && raster.getSampleModelTranslateY() == 0) {
      return interleavedBytes(raster, buffer.getData(), model, bands);
    }
    int w = raster.getWidth();
    int h = raster.getHeight();
    int n = raster.getNumBands();
    byte[] out = new byte[w * h * 3];
    int[] row = new int[w * n];
    int shift = bits - 8;
    for (int y = 0, o = 0; y < h; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
      for (int x = 0, p = 0; x < w; x++, p += n) {
        out[o++] = (byte) (row[p + bands[0]] >> shift);
        out[o++] = (byte) (row[p + bands[1]] >> shift);
        out[o++] = (byte) (row[p + bands[2]] >> shift);
      }
    }
    return new RgbImage(w, h, out);
  }

  /** The common case (JPEG, 8-bit PNG, 24-bit BMP), straight from the raster's byte array. */
  private static RgbImage interleavedBytes(
      Raster raster, byte[] data, PixelInterleavedSampleModel model, int[] bands) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    int stride = model.getScanlineStride();
    int step = model.getPixelStride();
    int[] offsets = model.getBandOffsets();
    int r = offsets[bands[0]];
    int g = offsets[bands[1]];
    int b = offsets[bands[2]];
    byte[] out = new byte[w * h * 3];
    for (int y = 0, o = 0; y < h; y++) {
      for (int x = 0, p = y * stride; x < w; x++, p += step) {
        out[o++] = data[p + r];
        out[o++] = data[p + g];
        out[o++] = data[p + b];
      }
    }
    return new RgbImage(w, h, out);
  }

  private static RgbImage gray16Clipped(Raster raster) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    byte[] out = new byte[w * h * 3];
    int[] row = new int[w];
    for (int y = 0, o = 0; y < h; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
      for (int x = 0; x < w; x++) {
        byte v = (byte) Math.min(row[x], 255);
        out[o++] = v;
        out[o++] = v;
        out[o++] = v;
      }
    }
    return new RgbImage(w, h, out);
  }

  private static RgbImage palette(Raster raster, IndexColorModel icm) {
    int size = icm.getMapSize();
    byte[] reds = new byte[size];
    byte[] greens = new byte[size];
    byte[] blues = new byte[size];
    icm.getReds(reds);
    icm.getGreens(greens);
    icm.getBlues(blues);
    int w = raster.getWidth();
    int h = raster.getHeight();
    byte[] out = new byte[w * h * 3];
    int[] row = new int[w];
    for (int y = 0, o = 0; y < h; y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        // An index past the palette is black, as PIL's zero-filled 256-entry palette gives.
        int i = row[x];
        boolean inside = i < size;
        out[o++] = inside ? reds[i] : 0;
        out[o++] = inside ? greens[i] : 0;
        out[o++] = inside ? blues[i] : 0;
      }
    }
    return new RgbImage(w, h, out);
  }

  private static RgbImage packed(Raster raster, DirectColorModel dcm) {
    int[] masks = {dcm.getRedMask(), dcm.getGreenMask(), dcm.getBlueMask()};
    int[] shifts = new int[3];
    int[] maxima = new int[3];
    for (int c = 0; c < 3; c++) {
      shifts[c] = Integer.numberOfTrailingZeros(masks[c]);
      maxima[c] = masks[c] >>> shifts[c];
    }
    int w = raster.getWidth();
    int h = raster.getHeight();
    byte[] out = new byte[w * h * 3];
    Object data = null;
    for (int y = 0, o = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        data = raster.getDataElements(raster.getMinX() + x, raster.getMinY() + y, data);
        int pixel = pixelValue(data);
        for (int c = 0; c < 3; c++) {
          int v = (pixel & masks[c]) >>> shifts[c];
          out[o++] = (byte) (maxima[c] == 0 ? 0 : maxima[c] == 255 ? v : v * 255 / maxima[c]);
        }
      }
    }
    return new RgbImage(w, h, out);
  }

  private static int pixelValue(Object data) {
    if (data instanceof int[] ints) {
      return ints[0];
    }
    if (data instanceof short[] shorts) {
      return shorts[0] & 0xffff;
    }
    return ((byte[]) data)[0] & 0xff;
  }

  private static UnsupportedOperationException unsupported(BufferedImage image, String what) {
    return new UnsupportedOperationException(
        "unsupported pixel layout ("
            + what
            + ", "
            + image.getColorModel().getClass().getSimpleName()
            + " with "
            + image.getRaster().getNumBands()
            + " bands)");
  }
}
