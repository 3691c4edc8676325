package dev.featurex.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The process's CPU time by thread name, from Linux's {@code /proc/self/task/TID/stat}, for the
 * throughput harness: where a run's CPU seconds went (the forward's threads and the OpenMP workers
 * they started, which take their creator's name; the JVM's garbage collector and compilers; Spark's
 * task threads). Threads that ended between two snapshots are not counted. Elsewhere than Linux,
 * the snapshots are empty.
 */
final class ThreadCpu {

  /** Clock ticks per second of {@code /proc}'s times ({@code USER_HZ}, 100 on Linux). */
  private static final double TICKS = 100.0;

  /** A snapshot: each thread's id with its name and its user + system ticks. */
  record Snapshot(Map<String, Map.Entry<String, Long>> threads) {}

  private ThreadCpu() {}

  /** Every live thread's name and CPU ticks now. */
  static Snapshot now() {
    Map<String, Map.Entry<String, Long>> threads = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String[] fields = stat.substring(close + 2).split(" ");
          // after "pid (comm) ": state is field 3; utime and stime are fields 14 and 15
          long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          threads.put(
              task.getFileName().toString(), Map.entry(stat.substring(open + 1, close), ticks));
        } catch (IOException | RuntimeException e) {
          // the thread ended while being read: not counted
        }
      }
    } catch (IOException e) {
      return new Snapshot(Map.of());
    }
    return new Snapshot(threads);
  }

  /**
   * The CPU seconds each thread name took from {@code before} to {@code after}, the largest first,
   * as {@code name=seconds} pairs joined by commas (spaces in names become underscores, digits and
   * {@code #} at their end are dropped: {@code GC Thread#1} counts as {@code GC_Thread}).
   */
  static String between(Snapshot before, Snapshot after) {
    Map<String, Long> byName = new HashMap<>();
    after
        .threads()
        .forEach(
            (tid, now) -> {
              Map.Entry<String, Long> then = before.threads().get(tid);
              long ticks = now.getValue() - (then == null ? 0 : then.getValue());
              String name = now.getKey().replaceAll("[#0-9]+$", "").trim().replace(' ', '_');
              byName.merge(name.isEmpty() ? "?" : name, ticks, Long::sum);
            });
    Map<String, Long> sorted =
        byName.entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey, Map.Entry::getValue, (x, y) -> x, LinkedHashMap::new));
    return sorted.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%s=%.1f", e.getKey(), e.getValue() / TICKS))
        .collect(Collectors.joining(","));
  }
}
