package dev.featurex.images;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG, PNG, BMP and GIF images to the RGB pixels that PIL's {@code
 * Image.open(f).convert("RGB")} gives: torchvision's {@code ImageFolder} loader.
 *
 * <ul>
 *   <li>JPEG: baseline and progressive; YCbCr, grayscale, RGB, CMYK and YCCK (Adobe). Embedded ICC
 *       profiles and EXIF orientation are ignored, as PIL does.
 *   <li>PNG: 1- to 16-bit, grayscale, RGB, palette, with alpha (dropped, see {@link PilConvert}).
 *   <li>BMP: 1-, 4-, 8-bit palette, 16-, 24-, 32-bit.
 *   <li>GIF: the first frame.
 * </ul>
 *
 * <p>Whatever the input, {@link #decode} returns pixels or throws {@link ImageDecodeException}
 * naming the source and the reason: missing or unreadable file, not an image (or a format it does
 * not read, named), truncated data (an error, as in PIL, not a gray bottom), corrupt data, or more
 * pixels than {@link #maxPixels()}, checked from the header before any pixel memory is allocated.
 *
 * <p>Thread-safe: each call uses its own readers.
 */
public final class ImageDecoder {

  /**
   * The default pixel limit: PIL's {@code Image.MAX_IMAGE_PIXELS} (89,478,485, about 1/4 GiB of
   * RGB), past which PIL warns of a decompression bomb.
   */
  public static final long DEFAULT_MAX_PIXELS = 89_478_485L;

  private final long maxPixels;

  private ImageDecoder(long maxPixels) {
    this.maxPixels = maxPixels;
  }

  /** A decoder with {@link #DEFAULT_MAX_PIXELS}. */
  public static ImageDecoder create() {
    return new ImageDecoder(DEFAULT_MAX_PIXELS);
  }

  /**
   * A decoder that refuses images of more than {@code maxPixels} pixels (width times height), at
   * most {@code Integer.MAX_VALUE / 3} (the largest RGB array Java can hold).
   */
  public static ImageDecoder withMaxPixels(long maxPixels) {
    if (maxPixels < 1 || maxPixels > Integer.MAX_VALUE / 3) {
      throw new IllegalArgumentException(
          "maxPixels must be between 1 and " + Integer.MAX_VALUE / 3 + ", got " + maxPixels);
    }
    return new ImageDecoder(maxPixels);
  }

  /** The largest number of pixels this decoder accepts. */
  public long maxPixels() {
    return maxPixels;
  }

  /** Decodes the image file {@code file}. */
  public RgbImage decode(Path file) throws ImageDecodeException {
    return decode(ImageSource.of(file));
  }

  /** Decodes {@code source}. */
  public RgbImage decode(ImageSource source) throws ImageDecodeException {
    String name = source.name();
    try (ImageInputStream stream = Streams.open(source)) {
      byte[] head = new byte[ImageFormat.HEAD];
      int length = stream.read(head, 0, head.length);
      stream.seek(0);
      ImageFormat format;
      try {
        format = ImageFormat.detect(head, length);
      } catch (IllegalArgumentException e) {
        throw new ImageDecodeException(name, e.getMessage(), null);
      }
      return decode(name, format, stream, head);
    } catch (NoSuchFileException e) {
      throw new ImageDecodeException(name, "no such file", e);
    } catch (AccessDeniedException e) {
      throw new ImageDecodeException(name, "permission denied", e);
    } catch (IOException e) {
      String reason =
          source instanceof ImageSource.FileSource f && Files.isDirectory(f.path())
              ? "it is a directory"
              : "cannot read it: " + describe(e);
      throw new ImageDecodeException(name, reason, e);
    }
  }

  private RgbImage decode(String name, ImageFormat format, ImageInputStream stream, byte[] head)
      throws ImageDecodeException {
    String what = format.name();
    List<String> warnings = new ArrayList<>();
    ImageReader reader = null;
    try {
      reader =
          format == ImageFormat.JPEG ? Readers.twelveMonkeysJpeg() : Readers.jdk(lower(format));
      reader.addIIOReadWarningListener(collect(warnings));
      reader.setInput(stream, false, true);
      checkSize(name, what, reader.getWidth(0), reader.getHeight(0));
      int[] screen = format == ImageFormat.GIF ? GifCanvas.screenSize(head) : null;
      if (screen != null) {
        checkSize(name, what + " screen", Math.max(screen[0], 1), Math.max(screen[1], 1));
      }
      ImageReadParam param = reader.getDefaultReadParam();
      if (format == ImageFormat.JPEG) {
        ImageTypeSpecifier raw = reader.getRawImageType(0);
        if (raw != null && raw.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK) {
          reader.dispose();
          stream.seek(0);
          reader = Readers.jdk("jpeg");
          reader.addIIOReadWarningListener(collect(warnings));
          reader.setInput(stream, false, true);
        } else if (raw != null) {
          param.setDestinationType(raw);
        }
      }
      BufferedImage image = reader.read(0, param);
      for (String warning : warnings) {
        if (isTruncation(warning)) {
          throw new ImageDecodeException(name, "the " + what + " data is truncated", null);
        }
      }
      if (screen != null && screen[0] > 0 && screen[1] > 0) {
        image = GifCanvas.place(image, reader.getImageMetadata(0), screen[0], screen[1]);
      }
      return PilConvert.toRgb(image);
    } catch (EOFException e) {
      throw new ImageDecodeException(name, "the " + what + " data is truncated", e);
    } catch (IOException e) {
      String reason =
          hasCause(e, EOFException.class)
              ? "the " + what + " data is truncated"
              : "corrupt or unsupported " + what + " data: " + describe(e);
      throw new ImageDecodeException(name, reason, e);
    } catch (UnsupportedOperationException e) {
      throw new ImageDecodeException(name, what + " with an " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // ImageIO's plugins answer some corrupt inputs with unchecked exceptions.
      throw new ImageDecodeException(
          name, "corrupt " + what + " data (the decoder failed: " + e + ")", e);
    } catch (OutOfMemoryError e) {
      throw new ImageDecodeException(
          name, "out of memory while decoding it; give the JVM more heap (-Xmx)", null);
    } finally {
      if (reader != null) {
        reader.dispose();
      }
    }
  }

  private void checkSize(String name, String format, int width, int height)
      throws ImageDecodeException {
    long pixels = (long) width * height;
    if (width < 1 || height < 1) {
      throw new ImageDecodeException(
          name,
          "the " + format + " header declares an empty image (" + width + "x" + height + ")",
          null);
    }
    if (pixels > maxPixels) {
      throw new ImageDecodeException(
          name,
          String.format(
              Locale.ROOT,
              "the %s header declares %dx%d = %,d pixels, more than the limit of %,d (a"
                  + " decompression bomb?); if the image is genuine, raise the limit"
                  + " (ImageDecoder.withMaxPixels)",
              format,
              width,
              height,
              pixels,
              maxPixels),
          null);
    }
  }

  private static boolean isTruncation(String warning) {
    String w = warning.toLowerCase(Locale.ROOT);
    return w.contains("premature end") || w.contains("truncated");
  }

  private static IIOReadWarningListener collect(List<String> warnings) {
    return (source, warning) -> warnings.add(warning);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable e) {
    StringBuilder s = new StringBuilder();
    for (Throwable t = e; t != null && s.length() < 300; t = t.getCause()) {
      String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
      if (s.indexOf(message) < 0) {
        s.append(s.length() == 0 ? "" : ": ").append(message);
      }
    }
    return s.toString();
  }

  private static String lower(ImageFormat format) {
    return format.name().toLowerCase(Locale.ROOT);
  }
}
