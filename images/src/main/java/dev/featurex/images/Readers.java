package dev.featurex.images;

import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;

/**
 * The ImageIO readers the decoder uses, chosen by class rather than by ImageIO's preference order,
 * so that another plugin on the classpath cannot change the pixels.
 *
 * <ul>
 *   <li>JPEG: TwelveMonkeys' reader, read into its raw image type: the samples as stored. The JDK's
 *       reader converts a JPEG that embeds an ICC profile (phones embed Display P3, cameras Adobe
 *       RGB) to sRGB, and its raw type is that converted sRGB type too; PIL ignores profiles (up to
 *       115 levels apart on the test image with a P3-like profile). For CMYK and YCCK JPEGs the
 *       JDK's reader (JDK 17 reads them as a CMYK raster), whose CMYK values follow PIL's reading
 *       of Adobe's inverted CMYK, which TwelveMonkeys' raw CMYK does not.
 *   <li>PNG, BMP, GIF: the JDK's readers.
 * </ul>
 */
final class Readers {

  private static final String TWELVEMONKEYS_JPEG =
      "com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReader";

  private Readers() {}

  /** A new TwelveMonkeys JPEG reader. */
  static ImageReader twelveMonkeysJpeg() {
    ImageReader reader = find("jpeg", TWELVEMONKEYS_JPEG);
    if (reader == null) {
      // A class loader that ImageIO's registry did not scan (an application server, Spark):
      // register the plugin from ours; its registration hook finds the JDK reader it wraps.
      IIORegistry.getDefaultInstance()
          .registerServiceProvider(
              new com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi(),
              ImageReaderSpi.class);
      reader = find("jpeg", TWELVEMONKEYS_JPEG);
    }
    if (reader == null) {
      throw new IllegalStateException("TwelveMonkeys' JPEG reader cannot be registered");
    }
    return reader;
  }

  /** A new reader of the JDK (com.sun.imageio) for {@code format}: jpeg, png, bmp or gif. */
  static ImageReader jdk(String format) {
    ImageReader reader = find(format, "com.sun.imageio.plugins." + format + ".");
    if (reader == null) {
      throw new IllegalStateException("the JDK's ImageIO has no " + format + " reader");
    }
    return reader;
  }

  private static ImageReader find(String format, String classPrefix) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
    while (readers.hasNext()) {
      ImageReader reader = readers.next();
      if (reader.getClass().getName().startsWith(classPrefix)) {
        return reader;
      }
      reader.dispose();
    }
    return null;
  }
}
