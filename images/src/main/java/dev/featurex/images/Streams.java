package dev.featurex.images;

import com.twelvemonkeys.imageio.stream.BufferedFileImageInputStream;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import javax.imageio.stream.ImageInputStream;

/**
 * Seekable streams over an {@link ImageSource}, without ImageIO's cache files: a buffered random
 * access file (the JDK's {@code FileImageInputStream} reads byte by byte from the file), or the
 * bytes themselves.
 */
final class Streams {

  private Streams() {}

  // TwelveMonkeys 3.14 deprecates BufferedFileImageInputStream for a package-private class that
  // only its ImageIO service provider reaches, through ImageIO's global registry and cache setting.
  @SuppressWarnings("deprecation")
  static ImageInputStream open(ImageSource source) throws IOException {
    if (source instanceof ImageSource.BytesSource bytes) {
      return new ByteArrayImageInputStream(bytes.data());
    }
    var path = ((ImageSource.FileSource) source).path();
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString());
    }
    if (Files.isDirectory(path)) {
      throw new IOException("is a directory");
    }
    return new BufferedFileImageInputStream(new RandomAccessFile(path.toFile(), "r"));
  }
}
