package dev.featurex.cli;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.featurex.cli.support.Cli;
import dev.featurex.cli.support.Cli.Result;
import dev.featurex.models.ResNet;
import dev.featurex.models.Zoo;
import dev.featurex.runtime.FeatureExtraction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code featurex}, {@code models}, {@code nodes} and {@code graph}, in-process. */
class InspectCommandsTest {

  @TempDir Path dir;

  @Test
  void noSubcommandPrintsUsageAndExitCodes() {
    Result r = Cli.run();
    assertWithMessage(r.toString()).that(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("extract");
    assertThat(r.err()).contains("130");
  }

  @Test
  void unknownOptionIsUsageError() {
    Result r = Cli.run("models", "--bogus");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Unknown option: '--bogus'");
  }

  @Test
  void modelsListsTheZooWithItsPreprocessing() {
    Result r = Cli.run("models");
    assertWithMessage(r.toString()).that(r.code()).isEqualTo(0);
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(Zoo.names().size() + 1);
    assertThat(lines.get(0)).startsWith("MODEL");
    assertThat(r.out()).containsMatch("(?m)^resnet50 +ResNet +256, 224, bilinear$");
    assertThat(r.out()).containsMatch("(?m)^inception_v3 +Inception3 +342, 299, bilinear$");
    Result names = Cli.run("models", "--names");
    assertThat(names.out().lines().toList()).isEqualTo(Zoo.names());
  }

  @Test
  void nodesPrintsTorchvisionsNamesOfTheMode() {
    List<String> expected = FeatureExtraction.getGraphNodeNames(ResNet.resnet18()).eval();
    Result r = Cli.run("nodes", "resnet18");
    assertWithMessage(r.toString()).that(r.code()).isEqualTo(0);
    assertThat(r.out().lines().toList()).isEqualTo(expected);
    assertThat(expected)
        .containsAtLeast("x", "conv1", "layer4.1.relu_1", "avgpool", "flatten", "fc");
    Result train = Cli.run("nodes", "resnet18", "--mode", "train");
    assertThat(train.out().lines().toList())
        .isEqualTo(FeatureExtraction.getGraphNodeNames(ResNet.resnet18()).train());
  }

  @Test
  void nodesWithShapesGivesEachNodesShapeAndStride() {
    Result r = Cli.run("nodes", "resnet18", "--shapes", "2x3x64x96");
    assertWithMessage(r.toString()).that(r.code()).isEqualTo(0);
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).containsMatch("^NODE +SHAPE +STRIDE$");
    assertThat(lines)
        .hasSize(FeatureExtraction.getGraphNodeNames(ResNet.resnet18()).eval().size() + 1);
    assertThat(row(lines, "x")).isEqualTo(List.of("x", "2x3x64x96", "1"));
    assertThat(row(lines, "conv1")).isEqualTo(List.of("conv1", "2x64x32x48", "2"));
    assertThat(row(lines, "maxpool")).isEqualTo(List.of("maxpool", "2x64x16x24", "4"));
    assertThat(row(lines, "layer2.0.add")).isEqualTo(List.of("layer2.0.add", "2x128x8x12", "8"));
    assertThat(row(lines, "layer4.1.relu_1"))
        .isEqualTo(List.of("layer4.1.relu_1", "2x512x2x3", "32"));
    assertThat(row(lines, "avgpool")).isEqualTo(List.of("avgpool", "2x512x1x1", "-"));
    assertThat(row(lines, "flatten")).isEqualTo(List.of("flatten", "2x512", "-"));
    assertThat(row(lines, "fc")).isEqualTo(List.of("fc", "2x1000", "-"));
  }

  @Test
  void strideReadsChannelsLastMapsToo() {
    long[] input = {1, 3, 224, 224};
    assertThat(ShapeProbe.stride(new long[] {1, 96, 56, 56}, input)).isEqualTo(4);
    assertThat(ShapeProbe.stride(new long[] {1, 56, 56, 96}, input)).isEqualTo(4); // Swin: NHWC
    assertThat(ShapeProbe.stride(new long[] {1, 197, 768}, input)).isEqualTo(0);
    assertThat(ShapeProbe.stride(new long[] {1, 8, 3, 5}, input)).isEqualTo(0);
  }

  @Test
  void badShapesAndModelNamesAreUsageErrorsWithTheFix() {
    Result shape = Cli.run("nodes", "resnet18", "--shapes", "1x3x64");
    assertThat(shape.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(shape.err()).contains("has 3 sizes");
    Result garbage = Cli.run("nodes", "resnet18", "--shapes", "1x3xbig");
    assertThat(garbage.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(garbage.err()).contains("is not a shape");
    Result model = Cli.run("nodes", "resnet5");
    assertThat(model.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(model.err()).contains("unknown model \"resnet5\"; did you mean \"resnet50\"");
    assertThat(model.err()).contains("featurex models");
    usageLine(
        "featurex nodes: Invalid value for option '--mode': expected one of [train, eval]"
            + " (case-sensitive) but was 'test'",
        "nodes",
        "resnet18",
        "--mode",
        "test");
  }

  @Test
  void shapesTheModelCannotTakeAreOneLineWithoutLibtorchsFrames() {
    Result channels = Cli.run("nodes", "resnet18", "--shapes", "1x4x64x64");
    assertWithMessage(channels.toString()).that(channels.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(channels.err().lines().toList()).hasSize(1);
    assertThat(channels.err())
        .startsWith(
            "featurex nodes: node \"conv1\" fails on a 1x4x64x64 input: Given groups=1, weight of"
                + " size [64, 3, 7, 7], expected input[1, 4, 64, 64] to have 3 channels");
    assertThat(channels.err()).doesNotContain("frame #");
    assertThat(channels.err()).doesNotContain("Exception");

    Result huge = Cli.run("nodes", "resnet18", "--shapes", "100000x3x2240x2240");
    assertWithMessage(huge.toString()).that(huge.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(huge.err().lines().toList()).hasSize(1);
    assertThat(huge.err())
        .contains(
            "a 100000x3x2240x2240 input is too large to allocate (6021.1 GB; this machine has");
    Result overflow = Cli.run("nodes", "resnet18", "--shapes", "99999999999x3x99999999x99999999");
    assertThat(overflow.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(overflow.err()).contains("too large to allocate (more than 2^63 bytes");
  }

  @Test
  void parseErrorsAreOneLineWithTheCommandAndTheHelpHint() {
    usageLine(
        "featurex extract: Invalid value for option '--batch': 'abc' is not an int",
        "extract",
        "resnet18",
        "--batch",
        "abc");
    usageLine(
        "featurex extract: Missing required option: '--output=FILE'",
        "extract",
        "resnet18",
        "--weights=w.pth",
        "--nodes=fc",
        "--input=in");
    Result typo = Cli.run("modls");
    assertThat(typo.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(typo.err().lines().toList()).hasSize(1);
    assertThat(typo.err())
        .contains("featurex: Unmatched argument at index 0: 'modls'; did you mean");
  }

  /** {@code args} fail as a usage error, with {@code message} and the help hint, one line. */
  private static void usageLine(String message, String... args) {
    Result r = Cli.run(args);
    assertWithMessage(r.toString()).that(r.code()).isEqualTo(ExitCodes.USAGE);
    String command = message.substring(0, message.indexOf(':'));
    assertThat(r.err()).isEqualTo(message + " (" + command + " --help shows the usage)\n");
  }

  @Test
  void graphOutputGetsANewFilesPermissionsAndWritesThroughALink() throws IOException {
    Path plain = Files.createFile(dir.resolve("plain")); // 0666 & ~umask, as any new file
    Path svg = dir.resolve("g.dot");
    assertThat(Cli.run("graph", "resnet18", "-o", svg.toString()).code()).isEqualTo(0);
    assertThat(Files.getPosixFilePermissions(svg)).isEqualTo(Files.getPosixFilePermissions(plain));

    Path real = Files.writeString(Files.createDirectory(dir.resolve("real")).resolve("r.dot"), "");
    Path link = Files.createSymbolicLink(dir.resolve("link.dot"), real);
    assertThat(Cli.run("graph", "resnet18", "-o", link.toString()).code()).isEqualTo(0);
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(real)).isEqualTo(Files.readString(svg));
  }

  @Test
  void graphWritesDotWithRequestedNodesHighlighted() throws IOException {
    Result r = Cli.run("graph", "resnet18", "--nodes", "layer4,avgpool:embedding");
    assertWithMessage(r.toString()).that(r.code()).isEqualTo(0);
    String dot = r.out();
    assertThat(dot).startsWith("digraph \"resnet18\" {");
    assertThat(dot).contains("n0 [label=\"x\\ninput\", shape=oval];");
    assertThat(dot)
        .contains(
            "[label=\"layer4.1.relu_1\\nmodule layer4.1.relu\\n=> layer4\", fillcolor=\"#ffd54f\"");
    assertThat(dot).contains("[label=\"avgpool\\n=> embedding\", fillcolor=\"#ffd54f\"");
    assertThat(dot).contains("n0 -> n1;");
    assertThat(dot).contains("-> output;");
    long highlighted = dot.lines().filter(l -> l.contains("#ffd54f\", penwidth")).count();
    assertThat(highlighted).isEqualTo(2);
    Path file = dir.resolve("g.dot");
    Result toFile = Cli.run("graph", "resnet18", "--output", file.toString());
    assertThat(toFile.code()).isEqualTo(0);
    assertThat(Files.readString(file)).isEqualTo(Cli.run("graph", "resnet18").out());
  }

  @Test
  void graphErrors() {
    Result node = Cli.run("graph", "resnet18", "--nodes", "layr4");
    assertThat(node.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(node.err())
        .contains(
            "node \"layr4\" is not a node of resnet18, nor a module holding nodes; did you mean \"layer4\"");
    assertThat(node.err()).contains("featurex nodes resnet18");
    Result png = Cli.run("graph", "resnet18", "--format", "png");
    assertThat(png.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(png.err()).contains("--output");
    Result missing =
        Cli.run(
            "graph",
            "resnet18",
            "--format",
            "svg",
            "--graphviz",
            dir.resolve("no-such-dot").toString());
    assertThat(missing.code()).isEqualTo(ExitCodes.GRAPHVIZ);
    assertThat(missing.err()).contains("needs Graphviz's dot");
    assertThat(missing.err()).contains("--format dot");
    Result folder =
        Cli.run("graph", "resnet18", "--output", dir.resolve("nowhere/g.dot").toString());
    assertThat(folder.code()).isEqualTo(ExitCodes.OUTPUT);
    assertThat(folder.err()).contains("does not exist; create it first");
  }

  @Test
  void graphRendersThroughTheDotCommand() throws IOException {
    assumeTrue(!System.getProperty("os.name").startsWith("Windows"));
    // A stand-in for dot: echoes the format and the DOT's size, so the test needs no Graphviz.
    Path fake = dir.resolve("fake-dot");
    Files.writeString(fake, "#!/bin/sh\necho \"rendered $1 $(wc -c)\"\n");
    assertThat(fake.toFile().setExecutable(true)).isTrue();
    Path svg = dir.resolve("g.svg");
    Result r =
        Cli.run(
            "graph",
            "resnet18",
            "--format",
            "svg",
            "--graphviz",
            fake.toString(),
            "--output",
            svg.toString());
    assertWithMessage(r.toString()).that(r.code()).isEqualTo(0);
    int dotLength = Cli.run("graph", "resnet18").out().getBytes(StandardCharsets.UTF_8).length;
    assertThat(Files.readString(svg).trim()).isEqualTo("rendered -Tsvg " + dotLength);
    Path failing = dir.resolve("failing-dot");
    Files.writeString(failing, "#!/bin/sh\necho 'syntax error in line 1' >&2\nexit 3\n");
    assertThat(failing.toFile().setExecutable(true)).isTrue();
    Result failed =
        Cli.run(
            "graph",
            "resnet18",
            "--format",
            "png",
            "--graphviz",
            failing.toString(),
            "--output",
            dir.resolve("g.png").toString());
    assertThat(failed.code()).isEqualTo(ExitCodes.GRAPHVIZ);
    assertThat(failed.err()).contains("failed with exit code 3: syntax error in line 1");
    assertThat(Files.exists(dir.resolve("g.png"))).isFalse();
  }

  @Test
  void graphRendersSvgWithGraphvizWhenInstalled() throws IOException {
    Path dot = Path.of("/usr/bin/dot");
    assumeTrue(Files.isExecutable(dot), "Graphviz is not installed");
    Path svg = dir.resolve("real.svg");
    Result r =
        Cli.run(
            "graph",
            "resnet18",
            "--format",
            "svg",
            "--nodes",
            "layer2",
            "--output",
            svg.toString());
    assertWithMessage(r.toString()).that(r.code()).isEqualTo(0);
    String text = Files.readString(svg);
    assertThat(text).contains("<svg");
    assertThat(text).contains("layer2.1.relu_1");
  }

  private static List<String> row(List<String> lines, String node) {
    return lines.stream()
        .filter(l -> l.startsWith(node + " "))
        .map(l -> Arrays.asList(l.trim().split(" +")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + node + " in " + lines));
  }
}
