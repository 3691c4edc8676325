package dev.featurex.images;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input gets an {@link ImageDecodeException} naming the file and the reason, never worse. */
class ImageDecoderTest {

  private static final List<String> IMAGES =
      List.of(
          "photo_q90.jpg",
          "photo_q75_progressive.jpg",
          "cmyk.jpg",
          "gray.jpg",
          "photo.png",
          "palette_transparent.png",
          "rgb16.png",
          "photo.bmp",
          "palette.bmp",
          "palette.gif");

  private final ImageDecoder decoder = ImageDecoder.create();

  @TempDir Path dir;

  private ImageDecodeException failure(String name, byte[] data) {
    return assertThrows(
        ImageDecodeException.class, () -> decoder.decode(ImageSource.of(name, data)));
  }

  @Test
  void decodesFilesAndBytesAlike() throws Exception {
    Path file = dir.resolve("photo.png");
    Files.write(file, Reference.bytes("photo.png"));
    RgbImage fromFile = decoder.decode(file);
    assertThat(fromFile)
        .isEqualTo(decoder.decode(ImageSource.of("x", Reference.bytes("photo.png"))));
    assertThat(fromFile.width()).isEqualTo(60);
    assertThat(fromFile.height()).isEqualTo(40);
  }

  @Test
  void missingFileIsNamed() {
    Path missing = dir.resolve("nope.jpg");
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> decoder.decode(missing));
    assertThat(e).hasMessageThat().isEqualTo("cannot decode image " + missing + ": no such file");
    assertThat(e.source()).isEqualTo(missing.toString());
  }

  @Test
  void directoryIsNamed() {
    ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(dir));
    assertThat(e.reason()).isEqualTo("it is a directory");
  }

  @Test
  void emptyFile() {
    assertThat(failure("empty.jpg", new byte[0]).reason()).isEqualTo("the file is empty");
  }

  @Test
  void textIsNotAnImage() {
    ImageDecodeException e = failure("notes.jpg", "hello, world".getBytes());
    assertThat(e.reason()).startsWith("not an image (the file starts with 68 65 6c 6c 6f");
    assertThat(e.reason()).endsWith("supported formats: JPEG, PNG, BMP, GIF");
  }

  @Test
  void unsupportedFormatsAreNamed() {
    byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes();
    assertThat(failure("a.webp", webp).reason()).startsWith("it is a WebP image, which is not");
    byte[] tiff = {'I', 'I', '*', 0, 8, 0, 0, 0};
    assertThat(failure("a.tif", tiff).reason()).startsWith("it is a TIFF image");
  }

  @ParameterizedTest
  @ValueSource(strings = {"photo_q90.jpg", "cmyk.jpg", "photo.png", "photo.bmp"})
  void truncatedImagesFailAsInPil(String image) {
    byte[] data = Reference.bytes(image);
    ImageDecodeException e = failure(image, Arrays.copyOf(data, data.length * 2 / 3));
    assertThat(e.reason()).contains("truncated");
    assertThat(e).hasMessageThat().contains(image);
  }

  @Test
  void truncatedGifFails() {
    byte[] data = Reference.bytes("palette.gif");
    ImageDecodeException e = failure("palette.gif", Arrays.copyOf(data, data.length * 2 / 3));
    assertThat(e.reason()).contains("GIF");
  }

  @Test
  void hugePngIsRefusedFromItsHeader() {
    ImageDecodeException e = failure("bomb.png", png(100_000, 100_000));
    assertThat(e.reason())
        .startsWith(
            "the PNG header declares 100000x100000 = 10,000,000,000 pixels, more than the limit of"
                + " 89,478,485");
    assertThat(e.reason()).contains("ImageDecoder.withMaxPixels");
  }

  @Test
  void hugeJpegIsRefusedFromItsHeader() {
    byte[] data = Reference.bytes("photo_q90.jpg").clone();
    // SOF0: FF C0, length (2), precision (1), height (2), width (2).
    for (int i = 2; i < data.length - 8; i++) {
      if ((data[i] & 0xff) == 0xFF && (data[i + 1] & 0xff) == 0xC0) {
        data[i + 5] = (byte) 0xFF;
        data[i + 6] = (byte) 0xF0;
        data[i + 7] = (byte) 0xFF;
        data[i + 8] = (byte) 0xF0;
        break;
      }
    }
    assertThat(failure("bomb.jpg", data).reason()).contains("65520x65520");
  }

  @Test
  void hugeBmpAndGifAreRefusedFromTheirHeaders() {
    byte[] bmp = Reference.bytes("photo.bmp").clone();
    ByteBuffer.wrap(bmp)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putInt(18, 50_000)
        .putInt(22, 50_000);
    // The JDK's BMP reader checks the declared size against the file's first.
    assertThat(failure("bomb.bmp", bmp).reason())
        .isEqualTo("corrupt or unsupported BMP data: Invalid width/height for BI_RGB image data.");

    byte[] gif = Reference.bytes("palette.gif").clone();
    // The first image descriptor follows the header, screen descriptor and global palette.
    int descriptor = 13 + (((gif[10] & 0x80) != 0) ? 3 * (1 << ((gif[10] & 7) + 1)) : 0);
    while ((gif[descriptor] & 0xff) != 0x2C) { // skip extensions
      descriptor += 2;
      while (gif[descriptor] != 0) {
        descriptor += (gif[descriptor] & 0xff) + 1;
      }
      descriptor++;
    }
    ByteBuffer.wrap(gif)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putShort(descriptor + 5, (short) 0xFFFF)
        .putShort(descriptor + 7, (short) 0xFFFF);
    assertThat(failure("bomb.gif", gif).reason()).contains("65535x65535");
  }

  @Test
  void limitIsConfigurable() throws Exception {
    ImageDecoder small = ImageDecoder.withMaxPixels(100);
    byte[] photo = Reference.bytes("photo.png");
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> small.decode(ImageSource.of("p", photo)));
    assertThat(e.reason()).contains("60x40 = 2,400 pixels, more than the limit of 100");
    assertThat(ImageDecoder.withMaxPixels(2400).decode(ImageSource.of("p", photo)).width())
        .isEqualTo(60);
    assertThrows(IllegalArgumentException.class, () -> ImageDecoder.withMaxPixels(0));
  }

  /**
   * Fuzzing: random bytes, and every reference image truncated, with bytes overwritten, inserted or
   * removed at random. Each input decodes or throws {@link ImageDecodeException}; nothing else
   * escapes and nothing hangs. Seeded, so a failure replays.
   */
  @Test
  void fuzzedInputsNeverEscapeOrHang() {
    Random random = new Random(16);
    assertTimeoutPreemptively(
        Duration.ofSeconds(120),
        () -> {
          int decoded = 0;
          int failed = 0;
          for (int round = 0; round < 60; round++) {
            for (String image : IMAGES) {
              byte[] input = mutate(Reference.bytes(image), random);
              try {
                decoder.decode(ImageSource.of(image + "#" + round, input));
                decoded++;
              } catch (ImageDecodeException e) {
                assertThat(e.source()).isEqualTo(image + "#" + round);
                assertThat(e.reason()).isNotEmpty();
                failed++;
              }
            }
            byte[] noise = new byte[random.nextInt(2000)];
            random.nextBytes(noise);
            try {
              decoder.decode(ImageSource.of("noise", noise));
            } catch (ImageDecodeException e) {
              failed++;
            }
          }
          assertThat(decoded + failed).isEqualTo(60 * (IMAGES.size() + 1));
          assertThat(failed).isGreaterThan(0);
        });
  }

  private static byte[] mutate(byte[] data, Random random) {
    byte[] out = data.clone();
    switch (random.nextInt(4)) {
      case 0:
        return Arrays.copyOf(out, random.nextInt(out.length));
      case 1:
        for (int i = 0, n = 1 + random.nextInt(20); i < n; i++) {
          out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
        return out;
      case 2:
        {
          int at = random.nextInt(out.length);
          byte[] junk = new byte[1 + random.nextInt(64)];
          random.nextBytes(junk);
          ByteArrayOutputStream s = new ByteArrayOutputStream();
          s.write(out, 0, at);
          s.write(junk, 0, junk.length);
          s.write(out, at, out.length - at);
          return s.toByteArray();
        }
      default:
        {
          int at = random.nextInt(out.length);
          int n = Math.min(out.length - at, 1 + random.nextInt(64));
          ByteArrayOutputStream s = new ByteArrayOutputStream();
          s.write(out, 0, at);
          s.write(out, at + n, out.length - at - n);
          return s.toByteArray();
        }
    }
  }

  /** A PNG whose header declares {@code width x height} and whose data is one empty row. */
  private static byte[] png(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
    ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    byte[] kind = type.getBytes();
    out.writeBytes(kind);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(kind);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
