package dev.featurex.cli;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** {@link IoErrors}: the path and the reason in plain words, no Java class name. */
class IoErrorsTest {

  @Test
  void fileSystemErrorsNameThePathAndTheReason() {
    assertThat(IoErrors.describe(new NoSuchFileException("/proc/.f.npy.x.part")))
        .isEqualTo("/proc/.f.npy.x.part: no such file or directory");
    assertThat(IoErrors.describe(new AccessDeniedException("/ro/f.npy")))
        .isEqualTo("/ro/f.npy: permission denied");
    assertThat(IoErrors.describe(new FileSystemException("/a/t", "/a/f", "Read-only file system")))
        .isEqualTo("/a/t -> /a/f: Read-only file system");
    assertThat(IoErrors.reason(new NoSuchFileException("/x")))
        .isEqualTo("no such file or directory");
  }

  @Test
  void otherErrorsGiveTheOperatingSystemsMessage() {
    // What FileChannel.write throws on a full disk.
    IOException full = new IOException("No space left on device");
    assertThat(IoErrors.describe(full)).isEqualTo("No space left on device");
    assertThat(IoErrors.describe(new IOException())).isEqualTo("an input/output error");
    assertThat(IoErrors.isInterrupt(full)).isFalse();
  }

  @Test
  void anInterruptedWriteIsAnInterruptNotAFailure() {
    assertThat(IoErrors.isInterrupt(new ClosedByInterruptException())).isTrue();
    assertThat(IoErrors.isInterrupt(new InterruptedIOException())).isTrue();
  }
}
