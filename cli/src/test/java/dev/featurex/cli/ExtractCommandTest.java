package dev.featurex.cli;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.featurex.cli.support.Cli;
import dev.featurex.cli.support.Cli.Result;
import dev.featurex.cli.support.Fixtures;
import dev.featurex.images.ImageDecoder;
import dev.featurex.images.Interpolation;
import dev.featurex.images.Preprocessing;
import dev.featurex.models.ResNet;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.runtime.StateDict;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code featurex extract} in-process on generated images, with resnet18 at 56 x 56. */
class ExtractCommandTest {

  private static final int BATCH = 5;

  @TempDir static Path shared;
  @TempDir Path out;

  private static Path images;
  private static List<Path> good;
  private static Path weights;

  @BeforeAll
  static void images() throws IOException {
    images = Files.createDirectory(shared.resolve("photos"));
    good = Fixtures.images(images, 12, 42);
    // Sorts first: the first batch has a failure. The JPEG signature, then noise.
    Files.write(
        images.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3});
    Files.writeString(
        images.resolve("notes.txt"), "not an image, and not picked: no image extension");
    weights = Fixtures.resnet18Weights();
  }

  private static String[] extract(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "extract",
                "resnet18",
                "--weights",
                weights.toString(),
                "--resize",
                "64",
                "--crop",
                "56",
                "--batch",
                "" + BATCH,
                "--threads",
                "2",
                "--no-progress"));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  /** {@code extract} of {@code nodes} from {@code input} to {@code output}, then {@code extra}. */
  private static String[] extract(String nodes, Path input, Path output, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("--nodes", nodes, "--input", input.toString(), "--output", output.toString()));
    args.addAll(List.of(extra));
    return extract(args.toArray(String[]::new));
  }

  /** Runs {@code args} and checks that the command succeeded. */
  private static Result succeeds(String... args) {
    Result r = Cli.run(args);
    assertWithMessage(r.toString()).that(r.code()).isEqualTo(0);
    return r;
  }

  @Test
  void safetensorsHoldTheFeaturesOfADirectExtraction() throws IOException {
    Path file = out.resolve("features.safetensors");
    Result r = succeeds(extract("layer4,avgpool:embedding", images, file));
    assertThat(r.err()).contains("skipped " + images.resolve("broken.jpg"));
    assertThat(r.err()).contains("skipped 1 unreadable image(s)");
    assertThat(r.err()).contains("layer4 = layer4.1.relu_1, embedding = avgpool");
    List<String> paths = Files.readAllLines(FeatureFilesPaths.of(file));
    assertThat(paths).isEqualTo(good.stream().map(Path::toString).toList());

    Map<String, Tensor> read = StateDict.read(file);
    assertThat(read.keySet()).containsExactly("layer4", "embedding").inOrder();
    assertThat(read.get("layer4").sizes().vec().get()).isEqualTo(new long[] {12, 512, 2, 2});
    assertThat(read.get("embedding").sizes().vec().get()).isEqualTo(new long[] {12, 512, 1, 1});
    // Not a vacuous comparison: the features vary, from image to image too.
    Tensor embedding = read.get("embedding").flatten(1, -1);
    assertThat(embedding.abs().max().item_float()).isGreaterThan(0.01f);
    assertThat(torch.equal(embedding.get(0), embedding.get(1))).isFalse();
    Map<String, Tensor> direct = direct(Map.of("layer4", "layer4", "avgpool", "embedding"));
    assertThat(torch.equal(read.get("layer4"), direct.get("layer4"))).isTrue();
    assertThat(torch.equal(read.get("embedding"), direct.get("embedding"))).isTrue();
    assertNoTemporaries();
  }

  @Test
  void npyFilesHaveNumpysHeaderAndTheSameRows() throws IOException {
    Path st = out.resolve("f.safetensors");
    succeeds(extract("layer3,avgpool", images, st));
    Map<String, Tensor> expected = StateDict.read(st);

    Path npy = out.resolve("f.npy");
    succeeds(extract("layer3,avgpool", images, npy));
    assertThat(Files.exists(npy)).isFalse(); // two keys: one file each
    assertNpy(out.resolve("f.layer3.npy"), "(12, 256, 4, 4)", expected.get("layer3"));
    assertNpy(out.resolve("f.avgpool.npy"), "(12, 512, 1, 1)", expected.get("avgpool"));
    assertThat(Files.readAllLines(FeatureFilesPaths.of(npy))).hasSize(12);

    Path one = out.resolve("one.bin");
    succeeds(extract("avgpool", images, one, "--pool", "avg", "--format", "npy"));
    assertNpy(one, "(12, 512)", expected.get("avgpool").flatten(1, -1));
    assertNoTemporaries();
  }

  @Test
  void avgPoolingAveragesEachMap() throws IOException {
    Path plain = out.resolve("plain.safetensors");
    Path pooled = out.resolve("pooled.safetensors");
    succeeds(extract("layer2", images, plain));
    succeeds(extract("layer2", images, pooled, "--pool", "avg"));
    Tensor map = StateDict.read(plain).get("layer2");
    Tensor vector = StateDict.read(pooled).get("layer2");
    assertThat(vector.sizes().vec().get()).isEqualTo(new long[] {12, 128});
    assertThat(torch.allclose(vector, map.mean(new long[] {2, 3}), 1e-6, 1e-6, false)).isTrue();
  }

  @Test
  void listAndSingleFileInputs() throws IOException {
    Path list = out.resolve("list.txt");
    Path missing = out.resolve("gone.jpg");
    Files.writeString(
        list,
        "# three images and a missing one\n"
            + good.get(3)
            + "\n\n"
            + missing
            + "\n"
            + good.get(0)
            + "\n"
            + good.get(7)
            + "\n");
    Path file = out.resolve("l.safetensors");
    Result r = succeeds(extract("avgpool", list, file));
    assertThat(r.err()).contains("skipped " + missing + ": no such file");
    assertThat(Files.readAllLines(FeatureFilesPaths.of(file)))
        .containsExactly(good.get(3).toString(), good.get(0).toString(), good.get(7).toString())
        .inOrder();
    Path single = out.resolve("s.safetensors");
    succeeds(extract("avgpool", good.get(5), single));
    assertThat(StateDict.read(single).get("avgpool").size(0)).isEqualTo(1);
  }

  @Test
  void progressBarReportsImagesPerSecond() {
    Path file = out.resolve("p.safetensors");
    List<String> args = new ArrayList<>(Arrays.asList(extract("avgpool", images, file)));
    args.remove("--no-progress");
    Result r = succeeds(args.toArray(String[]::new));
    assertThat(r.err()).contains("13/13 img");
    assertThat(r.err()).contains("img/s");
    assertThat(r.err()).containsMatch("12 image\\(s\\) in [0-9.]+ s \\([0-9.]+ images/s");
  }

  @Test
  void failFastStopsAtTheCorruptImageAndWritesNothing() throws IOException {
    Path file = out.resolve("ff.safetensors");
    Files.writeString(file, "an older output, left as it was");
    Result r = Cli.run(extract("avgpool", images, file, "--fail-fast"));
    assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(r.err()).contains("cannot read image " + images.resolve("broken.jpg"));
    assertThat(r.err()).contains("nothing written");
    assertThat(Files.readString(file)).isEqualTo("an older output, left as it was");
    assertThat(Files.exists(FeatureFilesPaths.of(file))).isFalse();
    assertNoTemporaries();
  }

  @Test
  void noReadableImageIsAFailure() throws IOException {
    Path dir = Files.createDirectory(out.resolve("bad"));
    Files.writeString(dir.resolve("a.png"), "text");
    Files.write(dir.resolve("b.jpg"), new byte[0]);
    Path file = out.resolve("none.safetensors");
    Result r = Cli.run(extract("avgpool", dir, file));
    assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(r.err()).contains("none of the 2 images could be read; nothing written");
    assertThat(Files.exists(file)).isFalse();
    assertNoTemporaries();
  }

  @Test
  void badModelNodeAndOptionsAreUsageErrors() {
    String in = images.toString();
    Path o = out.resolve("x.safetensors");
    expect(
        ExitCodes.USAGE,
        "unknown model \"resnet81\"; did you mean \"resnet18\"",
        "extract",
        "resnet81",
        "--weights",
        weights.toString(),
        "--nodes",
        "avgpool",
        "--input",
        in,
        "--output",
        o.toString());
    expect(
        ExitCodes.USAGE,
        "node \"layr4\" is not a node of resnet18, nor a module holding nodes; did you mean"
            + " \"layer4\"",
        extract("layr4", images, o));
    expect(
        ExitCodes.USAGE,
        "featurex nodes resnet18 lists the node names",
        extract("layer4.1.rleu", images, o));
    expect(ExitCodes.USAGE, "bad node \"avgpool:\"", extract("avgpool:", images, o));
    expect(
        ExitCodes.USAGE,
        "key \"f\" is given to two nodes",
        extract("layer3:f,layer4:f", images, o));
    expect(
        ExitCodes.USAGE,
        "--batch must be at least 1",
        replace(extract("avgpool", images, o), "--batch", "0"));
    expect(
        ExitCodes.USAGE,
        "use safetensors or npy",
        extract("avgpool", images, o, "--format", "hdf5"));
    expect(ExitCodes.USAGE, "use none or avg", extract("avgpool", images, o, "--pool", "max"));
    expect(
        ExitCodes.USAGE,
        "unknown interpolation \"cubic\"",
        extract("avgpool", images, o, "--interpolation", "cubic"));
    expect(
        ExitCodes.USAGE,
        "Missing required option: '--weights=FILE'",
        "extract",
        "resnet18",
        "--nodes",
        "avgpool",
        "--input",
        in,
        "--output",
        o.toString());
  }

  @Test
  void badWeightsAreWeightsErrors() throws IOException {
    String in = images.toString();
    String o = out.resolve("x.safetensors").toString();
    Path missing = out.resolve("missing.pth");
    expect(
        ExitCodes.WEIGHTS,
        "weights file " + missing + " does not exist",
        "extract",
        "resnet18",
        "--weights",
        missing.toString(),
        "--nodes",
        "avgpool",
        "--input",
        in,
        "--output",
        o);
    Path text = out.resolve("weights.pth");
    Files.writeString(text, "these are not weights");
    expect(
        ExitCodes.WEIGHTS,
        "weights.pth",
        "extract",
        "resnet18",
        "--weights",
        text.toString(),
        "--nodes",
        "avgpool",
        "--input",
        in,
        "--output",
        o);
    Path other = out.resolve("other.safetensors");
    StateDict.write(Map.of("classifier.weight", torch.zeros(3, 4)), other);
    expect(
        ExitCodes.WEIGHTS,
        "does not fit resnet18",
        "extract",
        "resnet18",
        "--weights",
        other.toString(),
        "--nodes",
        "avgpool",
        "--input",
        in,
        "--output",
        o);
    expect(
        ExitCodes.WEIGHTS,
        "is a directory",
        "extract",
        "resnet18",
        "--weights",
        out.toString(),
        "--nodes",
        "avgpool",
        "--input",
        in,
        "--output",
        o);
    assertNoTemporaries();
  }

  @Test
  void badInputAndOutputPaths() throws IOException {
    expect(
        ExitCodes.INPUT,
        "does not exist",
        extract("avgpool", out.resolve("nope"), out.resolve("a.safetensors")));
    Path empty = Files.createDirectory(out.resolve("empty"));
    Files.writeString(empty.resolve("readme.md"), "no images here");
    expect(
        ExitCodes.INPUT, "holds no image", extract("avgpool", empty, out.resolve("a.safetensors")));
    Path blank = out.resolve("blank.txt");
    Files.writeString(blank, "\n# nothing\n");
    expect(
        ExitCodes.INPUT,
        "is an empty list",
        extract("avgpool", blank, out.resolve("a.safetensors")));
    expect(
        ExitCodes.OUTPUT,
        "does not exist; create it first",
        extract("avgpool", images, out.resolve("no/such/dir/f.safetensors")));
    expect(ExitCodes.OUTPUT, "is a directory", extract("avgpool", images, empty));
  }

  /** {@code args} with the value after {@code option} replaced by {@code value}. */
  private static String[] replace(String[] args, String option, String value) {
    String[] copy = args.clone();
    copy[Arrays.asList(copy).indexOf(option) + 1] = value;
    return copy;
  }

  @Test
  void longWeightErrorsAreCutForTheTerminal() {
    String keys = "\tUnexpected key(s): " + "\"layer9.conv.weight\", ".repeat(100);
    String message = "Error(s) in loading state_dict for ResNet:\n" + (keys + "\n").repeat(10);
    String cut = dev.featurex.cli.extract.ExtractionTestAccess.abbreviate(message);
    assertThat(cut.lines().count()).isEqualTo(7);
    assertThat(cut).endsWith("... and 5 more lines");
    assertThat(cut.lines().mapToInt(String::length).max().getAsInt()).isAtMost(404);
    assertThat(dev.featurex.cli.extract.ExtractionTestAccess.abbreviate("short"))
        .isEqualTo("short");
  }

  private static void expect(int code, String message, String... args) {
    Result r = Cli.run(args);
    assertWithMessage(r.toString()).that(r.code()).isEqualTo(code);
    assertWithMessage(r.toString()).that(r.err()).contains(message);
  }

  private void assertNoTemporaries() throws IOException {
    try (Stream<Path> files = Files.list(out)) {
      assertThat(
              files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).toList())
          .isEmpty();
    }
  }

  private static void assertNpy(Path file, String shape, Tensor expected) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(Arrays.copyOf(bytes, 6))
        .isEqualTo(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'});
    assertThat(bytes[6]).isEqualTo(1);
    assertThat(bytes[7]).isEqualTo(0);
    int headerLength = buffer.getShort(8) & 0xffff;
    assertThat((10 + headerLength) % 64).isEqualTo(0);
    String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
    assertThat(header)
        .isEqualTo(
            String.format("{'descr': '<f4', 'fortran_order': False, 'shape': %s, }", shape)
                + " "
                    .repeat(
                        headerLength
                            - 1
                            - String.format(
                                    "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }",
                                    shape)
                                .length())
                + "\n");
    float[] data = new float[(bytes.length - 10 - headerLength) / 4];
    buffer.position(10 + headerLength);
    buffer.asFloatBuffer().get(data);
    Tensor contiguous = expected.contiguous();
    float[] want = new float[(int) contiguous.numel()];
    contiguous.data_ptr_float().get(want);
    assertThat(data).isEqualTo(want);
  }

  /**
   * The features of the good images computed without the command: decoded and preprocessed one by
   * one, grouped as the loader groups them (batches of {@link #BATCH} inputs, the corrupt image
   * first), run through a run-time extractor of the same weights.
   */
  @SuppressWarnings("try")
  private static Map<String, Tensor> direct(Map<String, String> nodes) throws IOException {
    ResNet model = ResNet.resnet18();
    StateDict.load(model, weights);
    model.eval();
    FeatureExtractor extractor = FeatureExtraction.createFeatureExtractor(model, nodes);
    Preprocessing preset =
        Preprocessing.builder()
            .resize(64)
            .centerCrop(56)
            .interpolation(Interpolation.BILINEAR)
            .build();
    ImageDecoder decoder = ImageDecoder.create();
    List<Path> inputs = new ArrayList<>();
    inputs.add(images.resolve("broken.jpg"));
    inputs.addAll(good);
    Map<String, List<Tensor>> parts = new java.util.LinkedHashMap<>();
    try (NoGradGuard noGrad = new NoGradGuard()) {
      for (int start = 0; start < inputs.size(); start += BATCH) {
        List<Path> chunk =
            inputs.subList(start, Math.min(inputs.size(), start + BATCH)).stream()
                .filter(good::contains)
                .toList();
        float[] data = new float[chunk.size() * preset.floatsPerImage()];
        for (int i = 0; i < chunk.size(); i++) {
          try {
            preset.apply(decoder.decode(chunk.get(i)), data, i * preset.floatsPerImage());
          } catch (dev.featurex.images.ImageDecodeException e) {
            throw new AssertionError(e);
          }
        }
        Tensor x = torch.empty(chunk.size(), 3, 56, 56);
        x.data_ptr_float().put(data);
        extractor
            .forward(x)
            .forEach((k, v) -> parts.computeIfAbsent(k, key -> new ArrayList<>()).add(v));
      }
    }
    Map<String, Tensor> out = new java.util.LinkedHashMap<>();
    parts.forEach(
        (k, v) ->
            out.put(k, torch.cat(new org.bytedeco.pytorch.TensorVector(v.toArray(Tensor[]::new)))));
    return out;
  }

  /** {@code OUTPUT.paths}. */
  private static final class FeatureFilesPaths {
    static Path of(Path output) {
      return output.resolveSibling(output.getFileName() + ".paths");
    }
  }
}
