package dev.featurex.samples.bench;

import dev.featurex.models.ResNetFcFeatureExtractor;
import dev.featurex.models.ResNetLayer1FeatureExtractor;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.PointerScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue 4: what a generated extractor costs over the model's own {@code forward}.
 *
 * <ul>
 *   <li>{@link #extractFc} against {@link #forward}: the same computation (the last node is the
 *       output), so the ratio is the extractor's overhead; goal at most 1.02.
 *   <li>{@link #extractLayer1} against {@link #forward}: the extractor stops after {@code layer1};
 *       goal at most 0.45 of the full forward.
 * </ul>
 *
 * <p>Each call runs inside its own {@link PointerScope}, so every tensor it makes (the model's
 * intermediates too, which {@code ResNet.forward} leaves to the garbage collector) is freed before
 * the next call: no native memory piles up between calls, whichever variant runs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(4)
@Threads(1)
public class ExtractorOverheadBenchmark {

  /** The extractors, built once on the state's model. */
  @State(Scope.Thread)
  public static class Extractors {
    ResNetFcFeatureExtractor fc;
    ResNetLayer1FeatureExtractor layer1;

    /** Builds the extractors on the state's model (they share its modules). */
    @Setup(Level.Trial)
    public void setUp(ResNetState state) {
      fc = new ResNetFcFeatureExtractor(state.model);
      layer1 = new ResNetLayer1FeatureExtractor(state.model);
    }
  }

  /** The model's own forward: the baseline. */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Benchmark
  public void forward(ResNetState state, Blackhole blackhole) {
    try (PointerScope scope = new PointerScope()) {
      blackhole.consume(state.model.forward(state.input));
    }
  }

  /** The generated extractor for {@code fc}, the model's output. */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Benchmark
  public void extractFc(ResNetState state, Extractors extractors, Blackhole blackhole) {
    try (PointerScope scope = new PointerScope()) {
      blackhole.consume(extractors.fc.forward(state.input).fc());
    }
  }

  /** The generated extractor for {@code layer1} alone. */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  @Benchmark
  public void extractLayer1(ResNetState state, Extractors extractors, Blackhole blackhole) {
    try (PointerScope scope = new PointerScope()) {
      blackhole.consume(extractors.layer1.forward(state.input).layer1());
    }
  }
}
