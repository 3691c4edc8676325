package dev.featurex.runtime.io;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFiles}: permissions of a new file, links written through, special files refused. */
class AtomicFilesTest {

  @TempDir Path dir;

  private static void write(Path destination, String text) throws IOException {
    AtomicFiles.write(destination, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void aNewFileGetsThePermissionsOfAnyNewFileNotOwnerOnly() throws IOException {
    Path plain = Files.createFile(dir.resolve("plain")); // 0666 & ~umask, as the shell makes it
    Path written = dir.resolve("written.bin");
    write(written, "data");
    assertThat(Files.readString(written)).isEqualTo("data");
    assertThat(Files.getPosixFilePermissions(written))
        .isEqualTo(Files.getPosixFilePermissions(plain));
  }

  @Test
  void aReplacedFileKeepsItsPermissions() throws IOException {
    Path file = Files.writeString(dir.resolve("f.bin"), "old");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
    write(file, "new");
    assertThat(Files.readString(file)).isEqualTo("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-rw----");
  }

  @Test
  void aSymbolicLinkIsWrittenThroughAndKept() throws IOException {
    Path targets = Files.createDirectory(dir.resolve("targets"));
    Path target = Files.writeString(targets.resolve("real.bin"), "old");
    Path links = Files.createDirectory(dir.resolve("links"));
    Path link = Files.createSymbolicLink(links.resolve("link.bin"), Path.of("../targets/real.bin"));
    write(link, "new");
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(target)).isEqualTo("new");
    try (var names = Files.list(links)) {
      assertThat(names.toList()).containsExactly(link); // no temporary left beside the link
    }
    Path dangling = Files.createSymbolicLink(links.resolve("new.bin"), target.resolveSibling("n"));
    write(dangling, "created");
    assertThat(Files.readString(targets.resolve("n"))).isEqualTo("created");
    assertThat(Files.isSymbolicLink(dangling)).isTrue();
  }

  @Test
  void aFifoOrADirectoryIsRefusedAndLeftAlone() throws Exception {
    Path fifo = dir.resolve("pipe");
    boolean made;
    try {
      made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
    } catch (IOException noMkfifo) {
      made = false;
    }
    assumeTrue(made, "mkfifo is not available");
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.createTemp(fifo, ".part"));
    assertThat(e).hasMessageThat().contains("is a FIFO (named pipe), not a regular file");
    Path link = Files.createSymbolicLink(dir.resolve("to-pipe"), fifo);
    e = assertThrows(IOException.class, () -> AtomicFiles.target(link));
    assertThat(e).hasMessageThat().contains("to-pipe (-> " + fifo + ") is a FIFO");
    assertThat(Files.isRegularFile(fifo)).isFalse();
    assertThat(Files.exists(fifo)).isTrue();
    e = assertThrows(IOException.class, () -> AtomicFiles.target(dir));
    assertThat(e).hasMessageThat().contains("is a directory");
    try (var names = Files.list(dir)) {
      assertThat(names.filter(p -> p.getFileName().toString().startsWith(".")).toList()).isEmpty();
    }
  }
}
