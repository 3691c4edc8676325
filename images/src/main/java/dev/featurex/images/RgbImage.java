package dev.featurex.images;

/**
 * A decoded image as PIL's {@code Image.convert("RGB")} gives it: 8 bits per channel, interleaved
 * {@code R, G, B} per pixel, rows top to bottom, no alpha, no colour management.
 *
 * <p>The array is shared, not copied: whoever creates an image hands its pixels over.
 *
 * @param width the width in pixels, at least 1
 * @param height the height in pixels, at least 1
 * @param pixels {@code width * height * 3} bytes, read as unsigned
 */
public record RgbImage(int width, int height, byte[] pixels) {

  /**
   * Checks the dimensions against the array.
   *
   * @throws IllegalArgumentException when a dimension is not positive or the array's length is not
   *     {@code width * height * 3}
   */
  public RgbImage {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("image size " + width + "x" + height + " is empty");
    }
    if ((long) width * height * 3 != pixels.length) {
      throw new IllegalArgumentException(
          "an RGB image of "
              + width
              + "x"
              + height
              + " needs "
              + (long) width * height * 3
              + " bytes, got "
              + pixels.length);
    }
  }

  /** The red, green and blue values (0..255) of the pixel at column {@code x}, row {@code y}. */
  public int[] rgb(int x, int y) {
    int i = (y * width + x) * 3;
    return new int[] {pixels[i] & 0xff, pixels[i + 1] & 0xff, pixels[i + 2] & 0xff};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RgbImage other
        && width == other.width
        && height == other.height
        && java.util.Arrays.equals(pixels, other.pixels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + java.util.Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "RgbImage[" + width + "x" + height + "]";
  }
}
