package dev.featurex.cli;

import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of {@code extract} on standard error: images done, images/s and ETA. On a
 * terminal it redraws one line twice a second; otherwise (a log file, a pipe) it writes a line
 * every ten seconds. Messages ({@link #println}) go above the bar.
 */
final class Progress implements AutoCloseable {

  private final PrintWriter err;
  private final boolean interactive;
  private final ProgressBar bar;

  Progress(PrintWriter err, long total, boolean enabled) {
    this.err = err;
    this.interactive = System.console() != null;
    if (!enabled) {
      this.bar = null;
      return;
    }
    DelegatingProgressBarConsumer consumer =
        new DelegatingProgressBarConsumer(this::render, interactive ? 100 : 120);
    this.bar =
        new ProgressBarBuilder()
            .setTaskName("extract")
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" img", 1)
            .showSpeed(new java.text.DecimalFormat("#0.0"))
            .setSpeedUnit(ChronoUnit.SECONDS)
            .setUpdateIntervalMillis(interactive ? 500 : 10_000)
            .setConsumer(consumer)
            .build();
  }

  private synchronized void render(String line) {
    if (interactive) {
      err.print('\r');
      err.print(line);
    } else {
      err.println(line);
    }
    err.flush();
  }

  /** Counts {@code images} more as done (read or skipped). */
  void step(long images) {
    if (bar != null) {
      bar.stepBy(images);
    }
  }

  /** A message on its own line, above the bar. */
  synchronized void println(String message) {
    if (bar != null && interactive) {
      err.print("\r\033[K");
    }
    err.println(message);
    err.flush();
  }

  /** Draws the bar a last time and ends its line. */
  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      if (interactive) {
        synchronized (this) {
          err.println();
          err.flush();
        }
      }
    }
  }
}
