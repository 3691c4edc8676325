package dev.featurex.samples.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs the benchmarks of this package with JMH's command-line options, then prints the ratios the
 * issues set goals for, each with its error propagated from JMH's 99.9% confidence intervals.
 *
 * <p>A ratio is only printed when both of its benchmarks ran in this run (with the same {@code
 * threads} parameter): the figures it compares were measured side by side, on the same machine
 * state. Run through {@code samples/bench/run-jmh.sh}.
 */
public final class BenchmarkMain {

  /** A goal: {@code numerator / denominator} at most {@code limit}. */
  private record Goal(String label, String numerator, String denominator, double limit) {}

  private static final Goal[] GOALS = {
    new Goal(
        "issue 4: extractor(fc) / forward",
        "ExtractorOverheadBenchmark.extractFc",
        "ExtractorOverheadBenchmark.forward",
        1.02),
    new Goal(
        "issue 4: extractor(layer1) / forward",
        "ExtractorOverheadBenchmark.extractLayer1",
        "ExtractorOverheadBenchmark.forward",
        0.45),
    new Goal(
        "issue 5: dynamic / generated (6 nodes)",
        "DynamicExtractorBenchmark.dynamic",
        "DynamicExtractorBenchmark.generated",
        1.03),
    new Goal(
        "issue 5: dynamic / generated (layer1)",
        "DynamicExtractorBenchmark.dynamicLayer1",
        "DynamicExtractorBenchmark.generatedLayer1",
        1.03),
  };

  private BenchmarkMain() {}

  /**
   * Runs JMH with {@code args} (JMH's own options: {@code -p threads=2}, {@code -f 3}, a benchmark
   * regexp, ...) and prints the ratios.
   */
  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    dev.featurex.runtime.Natives.extract(); // before libtorch loads (see Natives)
    System.out.println(Environment.describe());
    Collection<RunResult> results = new Runner(new CommandLineOptions(args)).run();
    printRatios(results);
  }

  private static void printRatios(Collection<RunResult> results) {
    // threads parameter -> benchmark (Class.method) -> result
    Map<String, Map<String, Result<?>>> byThreads = new LinkedHashMap<>();
    for (RunResult run : results) {
      String benchmark = run.getParams().getBenchmark();
      String shortName =
          benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
      String threads = run.getParams().getParam("threads");
      byThreads
          .computeIfAbsent(threads, t -> new LinkedHashMap<>())
          .put(shortName, run.getPrimaryResult());
    }
    System.out.println();
    System.out.println("Ratios (error: JMH's 99.9% intervals, propagated):");
    for (Map.Entry<String, Map<String, Result<?>>> entry : byThreads.entrySet()) {
      for (Goal goal : GOALS) {
        Result<?> a = entry.getValue().get(goal.numerator());
        Result<?> b = entry.getValue().get(goal.denominator());
        if (a == null || b == null) {
          continue;
        }
        double ratio = a.getScore() / b.getScore();
        double error = ratio * Math.hypot(relative(a), relative(b));
        String verdict =
            ratio + error <= goal.limit()
                ? "met"
                : ratio - error > goal.limit() ? "MISSED" : "within error of the goal";
        System.out.printf(
            Locale.ROOT,
            "  torch threads %s  %-40s %.3f ± %.3f  (goal ≤ %.2f: %s)%n",
            entry.getKey(),
            goal.label(),
            ratio,
            error,
            goal.limit(),
            verdict);
      }
    }
  }

  private static double relative(Result<?> result) {
    double error = result.getScoreError();
    return Double.isNaN(error) ? 0 : error / result.getScore();
  }
}
