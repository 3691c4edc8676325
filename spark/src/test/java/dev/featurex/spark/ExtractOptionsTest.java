package dev.featurex.spark;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.images.Interpolation;
import dev.featurex.runtime.Pooling;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The job's options and output columns, without Spark. */
class ExtractOptionsTest {

  private static final String[] REQUIRED = {
    "--model", "resnet50", "--weights", "w.pth", "--nodes", "layer4", "--output", "out"
  };

  private static ExtractOptions parse(String... more) {
    String[] args = new String[REQUIRED.length + more.length];
    System.arraycopy(REQUIRED, 0, args, 0, REQUIRED.length);
    System.arraycopy(more, 0, args, REQUIRED.length, more.length);
    return ExtractOptions.parse(args);
  }

  @Test
  void defaultsAreTheCommandLines() {
    ExtractOptions o = parse("--input", "photos");
    assertThat(o.batch()).isEqualTo(32);
    assertThat(o.pooling()).isEqualTo(Pooling.NONE);
    assertThat(o.resize()).isEqualTo(0); // the model's
    assertThat(o.interpolation()).isNull();
    assertThat(o.input())
        .isEqualTo(new ExtractOptions.Input(ExtractOptions.InputKind.FILES, "photos"));
    assertThat(o.glob()).isEqualTo(ExtractOptions.DEFAULT_GLOB);
    assertThat(o.overwrite()).isFalse();
    assertThat(o.forward()).isEqualTo(ExtractOptions.Forward.TASK);
  }

  @Test
  void bothSpellingsOfValuesAndFlags() {
    ExtractOptions o =
        parse(
            "--input-list=l.txt",
            "--pool",
            "AVG",
            "--interpolation=bicubic",
            "--overwrite",
            "--forward",
            "Executor");
    assertThat(o.input().kind()).isEqualTo(ExtractOptions.InputKind.LIST);
    assertThat(o.forward()).isEqualTo(ExtractOptions.Forward.EXECUTOR);
    assertThat(o.pooling()).isEqualTo(Pooling.AVG);
    assertThat(o.interpolation()).isEqualTo(Interpolation.BICUBIC);
    assertThat(o.overwrite()).isTrue();
  }

  @Test
  void nodesKeepOrderAndKeys() {
    assertThat(ExtractOptions.parseNodes("layer4, avgpool:embedding"))
        .containsExactly("layer4", "layer4", "avgpool", "embedding")
        .inOrder();
    assertThat(
            assertThrows(
                IllegalArgumentException.class, () -> ExtractOptions.parseNodes("a:x,b:x")))
        .hasMessageThat()
        .contains("key \"x\" twice");
    assertThat(
            assertThrows(IllegalArgumentException.class, () -> ExtractOptions.parseNodes("a,,b")))
        .hasMessageThat()
        .contains("empty node");
    assertThat(
            assertThrows(
                IllegalArgumentException.class, () -> ExtractOptions.parseNodes("avgpool: emb")))
        .hasMessageThat()
        .contains("the key \" emb\" starts or ends with white space");
  }

  @Test
  void badArgumentsNameTheOptionAndTheFix() {
    assertThat(
            assertThrows(
                IllegalArgumentException.class, () -> parse("--input", "a", "--bacth", "8")))
        .hasMessageThat()
        .startsWith("unknown option --bacth");
    assertThat(assertThrows(IllegalArgumentException.class, () -> parse()))
        .hasMessageThat()
        .contains(
            "give exactly one of --input DIR, --input-list FILE or --input-table NAME, got 0");
    assertThat(
            assertThrows(
                IllegalArgumentException.class, () -> parse("--input", "a", "--input-table", "t")))
        .hasMessageThat()
        .contains("got 2");
    assertThat(
            assertThrows(
                IllegalArgumentException.class, () -> parse("--input", "a", "--batch", "x")))
        .hasMessageThat()
        .isEqualTo("--batch takes a whole number, got \"x\"");
    assertThat(
            assertThrows(
                IllegalArgumentException.class, () -> parse("--input", "a", "--batch", "0")))
        .hasMessageThat()
        .isEqualTo("--batch must be at least 1, got 0");
    assertThat(
            assertThrows(
                IllegalArgumentException.class, () -> parse("--input", "a", "--pool", "max")))
        .hasMessageThat()
        .isEqualTo("unknown --pool \"max\"; use none or avg");
    assertThat(
            assertThrows(
                IllegalArgumentException.class, () -> parse("--input", "a", "--forward", "job")))
        .hasMessageThat()
        .startsWith("unknown --forward \"job\"; use task (each task computes on its own CPUs)");
    assertThat(
            assertThrows(
                IllegalArgumentException.class,
                () -> parse("--input", "a", "--interpolation", "cubic")))
        .hasMessageThat()
        .isEqualTo(
            "unknown --interpolation \"cubic\"; use bilinear, bicubic, nearest, lanczos, box or"
                + " hamming");
    assertThat(
            assertThrows(
                IllegalArgumentException.class, () -> ExtractOptions.parse("--model", "resnet50")))
        .hasMessageThat()
        .startsWith("--weights is required");
    assertThat(assertThrows(IllegalArgumentException.class, () -> parse("--input")))
        .hasMessageThat()
        .startsWith("--input needs a value");
  }

  @Test
  void zeroIsRefusedLikeANegativeValueAndAbsenceIsTheDefault() {
    String[][] cases = {
      {"--resize", "leave --resize out for the model's resize"},
      {"--crop", "leave --crop out for the model's crop"},
      {"--partitions", "leave --partitions out for a count chosen from the number of images"},
      {"--threads", "leave --threads out for spark.task.cpus (--forward task)"},
    };
    for (String[] c : cases) {
      for (String value : new String[] {"0", "-3"}) {
        assertThat(
                assertThrows(
                    IllegalArgumentException.class, () -> parse("--input", "a", c[0], value)))
            .hasMessageThat()
            .isEqualTo(
                c[0]
                    + " must be at least 1, got "
                    + value
                    + "; "
                    + c[1]
                    + (c[0].equals("--threads")
                        ? " or the executor's cores (--forward executor)"
                        : ""));
      }
    }
    ExtractOptions absent = parse("--input", "a");
    assertThat(absent.crop()).isEqualTo(0); // the model's
    assertThat(absent.partitions()).isEqualTo(0); // chosen by the job
    assertThat(absent.threads()).isEqualTo(0); // chosen by --forward
    ExtractOptions given = parse("--input", "a", "--resize=1", "--crop=1", "--partitions=1");
    assertThat(List.of(given.resize(), given.crop(), given.partitions())).containsExactly(1, 1, 1);
  }

  @Test
  void threadsAreBoundedUpFront() {
    assertThat(parse("--input", "a", "--threads", "1024").threads())
        .isEqualTo(ExtractOptions.MAX_THREADS);
    assertThat(
            assertThrows(
                IllegalArgumentException.class, () -> parse("--input", "a", "--threads", "10000")))
        .hasMessageThat()
        .isEqualTo(
            "--threads 10000 is more than the limit of 1024 torch threads per forward call; give"
                + " at most the cores of an executor, or leave --threads out for spark.task.cpus"
                + " (--forward task) or the executor's cores (--forward executor)");
    // the record holds the bound too, not only the parser
    ExtractOptions o = parse("--input", "a");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new ExtractOptions(
                o.model(),
                o.weights(),
                o.nodes(),
                o.batch(),
                1025,
                o.forward(),
                o.pooling(),
                o.resize(),
                o.crop(),
                o.interpolation(),
                o.input(),
                o.pathColumn(),
                o.glob(),
                o.output(),
                o.partitions(),
                o.overwrite(),
                o.master()));
  }

  @Test
  void keysBecomeColumnsWithoutClashes() {
    OutputSchema schema = new OutputSchema(List.of("layer4.1.relu", "embedding"));
    assertThat(schema.structType().fieldNames())
        .asList()
        .containsExactly(
            "path", "layer4_1_relu", "layer4_1_relu_shape", "embedding", "embedding_shape", "error")
        .inOrder();
    assertThat(
            assertThrows(
                IllegalArgumentException.class,
                () -> new OutputSchema(List.of("layer4.1", "layer4_1"))))
        .hasMessageThat()
        .contains("name it with --nodes NODE:KEY");
    assertThat(
            assertThrows(IllegalArgumentException.class, () -> new OutputSchema(List.of("error"))))
        .hasMessageThat()
        .contains("\"error\"");
  }
}
