package dev.featurex.cli;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.featurex.cli.support.Cli;
import dev.featurex.cli.support.Cli.Result;
import dev.featurex.cli.support.Fixtures;
import dev.featurex.models.ShuffleNetV2;
import dev.featurex.runtime.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@code featurex extract} writes: permissions, symbolic links, special files, and the
 * output's name and keys checked before any work; every refusal one line with its exit code.
 */
class ExtractOutputTest {

  @TempDir static Path shared;
  @TempDir Path out;

  private static Path images;

  /** 40 then 32 x 32 pixels, one thread, no progress bar: a quick run. */
  private static final List<String> SMALL =
      List.of("--resize", "40", "--crop", "32", "--threads", "1", "--no-progress");

  @BeforeAll
  static void images() {
    images = shared.resolve("photos");
    try {
      Files.createDirectory(images);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Fixtures.images(images, 3, 11);
  }

  /** {@code extract resnet18} of {@code nodes} to {@code output}, 32 x 32, then {@code extra}. */
  private static String[] extract(String nodes, String output, String... extra) {
    return extractWith(Fixtures.resnet18Weights().toString(), nodes, output, extra);
  }

  private static String[] extractWith(
      String weights, String nodes, String output, String... extra) {
    Stream<String> command =
        Stream.of("extract", "resnet18", "--weights", weights, "--nodes", nodes);
    Stream<String> files = Stream.of("--input", images.toString(), "--output", output);
    return Stream.of(command, files, SMALL.stream(), Stream.of(extra))
        .flatMap(s -> s)
        .toArray(String[]::new);
  }

  /** Runs {@code args}: exit {@code code}, and one line on standard error holding {@code text}. */
  private static Result refused(int code, String text, String... args) {
    Result r = Cli.run(args);
    assertWithMessage(r.toString()).that(r.code()).isEqualTo(code);
    assertWithMessage(r.toString()).that(r.err().lines().toList()).hasSize(1);
    assertWithMessage(r.toString()).that(r.err()).startsWith("featurex extract: ");
    assertWithMessage(r.toString()).that(r.err()).contains(text);
    return r;
  }

  @Test
  void outputsGetThePermissionsOfANewFileAndKeepAReplacedFilesOwn() throws IOException {
    Path plain = Files.createFile(out.resolve("plain")); // 0666 & ~umask, as any new file
    Path st = out.resolve("f.safetensors");
    Result r = Cli.run(extract("avgpool", st.toString()));
    assertWithMessage(r.toString()).that(r.code()).isEqualTo(0);
    assertThat(Files.getPosixFilePermissions(st)).isEqualTo(Files.getPosixFilePermissions(plain));
    Path paths = out.resolve("f.safetensors.paths");
    assertThat(Files.getPosixFilePermissions(paths))
        .isEqualTo(Files.getPosixFilePermissions(plain));

    Path npy = out.resolve("g.npy");
    Files.writeString(npy, "older");
    Files.setPosixFilePermissions(npy, PosixFilePermissions.fromString("rw-rw-r--"));
    assertThat(Cli.run(extract("layer4,avgpool", out.resolve("g.npy").toString())).code())
        .isEqualTo(0);
    Path layer4 = out.resolve("g.layer4.npy");
    assertThat(Files.getPosixFilePermissions(layer4))
        .isEqualTo(Files.getPosixFilePermissions(plain));
    assertThat(Cli.run(extract("avgpool", npy.toString())).code()).isEqualTo(0);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(npy)))
        .isEqualTo("rw-rw-r--");
    assertThat(Files.size(npy)).isGreaterThan(5L);
  }

  @Test
  void aSymbolicLinkIsWrittenThroughAndStaysALink() throws IOException {
    Path targets = Files.createDirectory(out.resolve("targets"));
    Path real = Files.writeString(targets.resolve("real.safetensors"), "older");
    Path links = Files.createDirectory(out.resolve("links"));
    Path link = Files.createSymbolicLink(links.resolve("link.safetensors"), real);
    Result r = Cli.run(extract("avgpool", link.toString()));
    assertWithMessage(r.toString()).that(r.code()).isEqualTo(0);
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(StateDict.read(real).get("avgpool").size(0)).isEqualTo(3);
    assertThat(Files.readAllLines(links.resolve("link.safetensors.paths"))).hasSize(3);
    try (Stream<Path> left = Stream.concat(Files.list(targets), Files.list(links))) {
      assertThat(left.filter(p -> p.toString().endsWith(".part")).toList()).isEmpty();
    }
  }

  @Test
  void aFifoIsRefusedBeforeAnyWorkAndLeftAlone() throws Exception {
    Path fifo = out.resolve("pipe.safetensors");
    assumeTrue(mkfifo(fifo), "mkfifo is not available");
    // A missing weights file would be exit code 3: the output is refused before the weights load.
    String missing = out.resolve("missing.pth").toString();
    refused(
        ExitCodes.OUTPUT,
        "--output " + fifo + " is a FIFO (named pipe), not a regular file; name a regular file",
        extractWith(missing, "avgpool", fifo.toString()));
    Path paths = out.resolve("f.safetensors.paths");
    assumeTrue(mkfifo(paths));
    refused(
        ExitCodes.OUTPUT,
        paths + " is a FIFO",
        extractWith(missing, "avgpool", out.resolve("f.safetensors").toString()));
    Path link = Files.createSymbolicLink(out.resolve("to-pipe.npy"), fifo);
    refused(
        ExitCodes.OUTPUT,
        "(-> " + fifo + ") is a FIFO",
        extractWith(missing, "avgpool", link.toString()));
    assertThat(Files.isRegularFile(fifo)).isFalse();
    assertThat(Files.exists(fifo)).isTrue();
    assertThat(Files.isSymbolicLink(link)).isTrue();
  }

  /** {@code args} without the first {@code option value} pair. */
  private static String[] without(String[] args, String option, String value) {
    List<String> list = new ArrayList<>(List.of(args));
    int at = list.indexOf(option);
    assertThat(list.get(at + 1)).isEqualTo(value);
    list.subList(at, at + 2).clear();
    return list.toArray(String[]::new);
  }

  private static boolean mkfifo(Path path) throws InterruptedException {
    try {
      return new ProcessBuilder("mkfifo", path.toString()).start().waitFor() == 0;
    } catch (IOException noMkfifo) {
      return false;
    }
  }

  @Test
  void aFolderWhereNoFileCanBeCreatedIsRefusedBeforeAnyWork() {
    // The output's own name fits, but no file beside it can be created (its temporary's name is
    // longer than the file system allows): found by creating one, before the weights load.
    String name = "f".repeat(240) + ".npy";
    Result r =
        refused(
            ExitCodes.OUTPUT,
            ": cannot create a file in " + out,
            extractWith(
                out.resolve("missing.pth").toString(), "avgpool", out.resolve(name).toString()));
    assertThat(r.err()).contains("); write somewhere else");
    assertThat(r.err()).doesNotContain("Exception");
  }

  @Test
  void badOutputNamesAndKeysAreUsageErrors() {
    String missing = out.resolve("missing.pth").toString();
    refused(ExitCodes.USAGE, "--output is empty; name the file to write", extract("avgpool", ""));
    refused(
        ExitCodes.USAGE,
        "--format safetensors does not match --output "
            + out.resolve("out4.npy")
            + ", a .npy name; name the output out4.safetensors, or leave --format out to write npy",
        extractWith(
            missing, "avgpool", out.resolve("out4.npy").toString(), "--format", "safetensors"));
    refused(
        ExitCodes.USAGE,
        "name the output f.npy",
        extractWith(
            missing, "avgpool", out.resolve("f.SafeTensors").toString(), "--format", "npy"));
    refused(
        ExitCodes.USAGE,
        "the key \"__metadata__\" is reserved by the safetensors format",
        extractWith(missing, "avgpool:__metadata__", out.resolve("k1.safetensors").toString()));
    refused(
        ExitCodes.USAGE,
        "the key \" emb\" starts or ends with white space; write it without (\"emb\")",
        extractWith(missing, "avgpool: emb", out.resolve("k2.safetensors").toString()));
    assertThat(Files.exists(out.resolve("k1.safetensors"))).isFalse();
  }

  @Test
  void npyMayUseTheSafetensorsReservedKey() throws IOException {
    Path npy = out.resolve("m.npy");
    Result r = Cli.run(extract("avgpool:__metadata__", npy.toString()));
    assertWithMessage(r.toString()).that(r.code()).isEqualTo(0);
    assertThat(Files.size(npy)).isGreaterThan(128L);
  }

  @Test
  void outOfRangeNumbersAreUsageErrorsBeforeAnyWork() {
    String o = out.resolve("n.safetensors").toString();
    String missing = out.resolve("missing.pth").toString();
    refused(
        ExitCodes.USAGE,
        "--resize must be at least 1, got 0 (leave it out for the model's own size)",
        without(extractWith(missing, "avgpool", o, "--resize", "0"), "--resize", "40"));
    refused(
        ExitCodes.USAGE,
        "--crop must be at least 1, got 0",
        without(extractWith(missing, "avgpool", o, "--crop", "0"), "--crop", "32"));
    refused(
        ExitCodes.USAGE,
        "--threads must be at most 1024, got 10000",
        without(extractWith(missing, "avgpool", o, "--threads", "10000"), "--threads", "1"));
    refused(
        ExitCodes.USAGE,
        "--decode-threads must be at most 1024, got 2000",
        extractWith(missing, "avgpool", o, "--decode-threads", "2000"));
    refused(
        ExitCodes.USAGE,
        "a batch of 100000000 images is too large: batch x 3 x crop x crop floats must fit in one"
            + " Java array, so at most 699050 images of 3 x 32 x 32; use a smaller batch",
        extractWith(missing, "avgpool", o, "--batch", "100000000"));
  }

  @Test
  void aNodeThatComputesNoTensorIsAUsageErrorNamingTheNodesToRequest() throws IOException {
    Path weights = out.resolve("shufflenet.safetensors");
    StateDict.save(ShuffleNetV2.shufflenet_v2_x0_5(), weights);
    Path output = out.resolve("halves.npy");
    List<String> args =
        new ArrayList<>(
            List.of(
                "extract",
                "shufflenet_v2_x0_5",
                "--weights",
                weights.toString(),
                "--nodes",
                "stage3.4.chunk",
                "--input",
                images.toString(),
                "--output",
                output.toString()));
    args.addAll(SMALL);
    // The header line first (the run starts), then the refusal at the first batch.
    Result r = Cli.run(args.toArray(String[]::new));
    assertWithMessage(r.toString()).that(r.code()).isEqualTo(ExitCodes.USAGE);
    assertWithMessage(r.toString())
        .that(r.err().lines().reduce((a, b) -> b).orElse(""))
        .isEqualTo(
            "featurex extract: --nodes: node \"stage3.4.chunk\" computes a org.bytedeco.pytorch.TensorVector, not a"
                + " Tensor: only tensor nodes can be returned; request a node that reads it instead"
                + " (stage3.4.getitem, stage3.4.getitem_1); nothing written");
    assertThat(Files.exists(output)).isFalse();
  }
}
