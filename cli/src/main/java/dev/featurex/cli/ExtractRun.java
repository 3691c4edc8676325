package dev.featurex.cli;

import dev.featurex.cli.extract.Extraction;
import dev.featurex.cli.extract.ExtractionSpec;
import dev.featurex.cli.extract.FeatureBatch;
import dev.featurex.cli.output.FeatureFiles;
import dev.featurex.cli.output.OutputFormat;
import dev.featurex.images.BatchLoader;
import dev.featurex.images.ImageBatch;
import dev.featurex.images.ImageFailure;
import dev.featurex.runtime.execute.NodeExecutionException;
import dev.featurex.runtime.execute.NotATensorException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One {@code extract} run: images decoded on the loader's threads while the model runs on the
 * previous batch, rows appended to {@link FeatureFiles}, committed at the end.
 *
 * <p>Interrupts: a shutdown hook (Ctrl-C, SIGTERM) stops the run at the next batch, waits for it to
 * delete its temporary files (a commit under way is let finish, so the output is whole), and
 * deletes them itself if the run does not answer within {@link #GRACE_SECONDS} (a long forward
 * call): no partial output either way.
 */
final class ExtractRun {

  /** How long an interrupt waits for the run to clean up before it deletes the temporaries. */
  static final long GRACE_SECONDS = 10;

  private final Extraction extraction;
  private final ExtractionSpec request;
  private final List<Path> images;
  private final Path output;
  private final OutputFormat format;
  private final int loaders;
  private final boolean failFast;
  private final boolean progressBar;
  private volatile boolean cancelled;
  private volatile boolean committing;

  ExtractRun(
      Extraction extraction,
      ExtractionSpec request,
      List<Path> images,
      Path output,
      OutputFormat format,
      int loaders,
      boolean failFast,
      boolean progressBar) {
    this.extraction = extraction;
    this.request = request;
    this.images = images;
    this.output = output;
    this.format = format;
    this.loaders = loaders;
    this.failFast = failFast;
    this.progressBar = progressBar;
  }

  /** Runs to the end and returns the exit code, or throws a {@link CliException}. */
  int execute(PrintWriter err) {
    Map<String, String> selected = extraction.selectedNodes();
    err.println(header(selected));
    err.flush();
    FeatureFiles files;
    try {
      files = new FeatureFiles(output, format, List.copyOf(selected.keySet()), metadata(selected));
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.OUTPUT, "cannot write --output " + output + ": " + IoErrors.describe(e), e);
    }
    Thread worker = Thread.currentThread();
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> interrupt(worker, done, files), "featurex-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    try (files) {
      Stats stats = loop(files, err);
      committing = true;
      if (cancelled) {
        throw interrupted();
      }
      files.commit();
      err.println(stats.summary(files.rows(), files.destinations()));
      return ExitCodes.OK;
    } catch (OutOfMemoryError e) {
      throw outOfMemory(e);
    } catch (IOException e) {
      if (cancelled || IoErrors.isInterrupt(e)) {
        throw interrupted();
      }
      throw new CliException(
          ExitCodes.FAILED,
          "writing --output " + output + " failed: " + IoErrors.describe(e) + "; nothing written",
          e);
    } finally {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it waits for done, counted down above
      }
      err.flush();
    }
  }

  private Stats loop(FeatureFiles files, PrintWriter err) throws IOException {
    Stats stats = new Stats();
    try (Progress progress = new Progress(err, images.size(), progressBar);
        BatchLoader loader =
            BatchLoader.builder(extraction.preprocessing())
                .batchSize(request.batchSize())
                .threads(loaders)
                .openFiles(images)) {
      while (loader.hasNext()) {
        long waitStart = System.nanoTime();
        ImageBatch batch;
        try {
          batch = loader.next();
        } catch (CancellationException e) {
          throw interrupted();
        }
        long modelStart = System.nanoTime();
        stats.waiting += modelStart - waitStart;
        if (cancelled) {
          throw interrupted();
        }
        for (ImageFailure failure : batch.failures()) {
          stats.skipped++;
          if (failFast) {
            throw new CliException(
                ExitCodes.FAILED,
                "cannot read image " + failure.message() + " (--fail-fast); nothing written");
          }
          progress.println("skipped " + failure.message());
        }
        if (batch.size() > 0) {
          files.append(run(batch));
        }
        stats.model += System.nanoTime() - modelStart;
        progress.step(batch.size() + batch.failures().size());
      }
    }
    if (files.rows() == 0) {
      throw new CliException(
          ExitCodes.FAILED,
          "none of the " + images.size() + " images could be read; nothing written");
    }
    return stats;
  }

  private FeatureBatch run(ImageBatch batch) {
    try {
      return extraction.run(batch);
    } catch (NotATensorException e) {
      throw new CliException(
          ExitCodes.USAGE, "--nodes: " + e.getMessage() + "; nothing written", e);
    } catch (RuntimeException e) {
      if (cancelled) {
        throw interrupted();
      }
      throw new CliException(
          ExitCodes.FAILED,
          "the model failed on the images from "
              + batch.sources().get(0).name()
              + ": "
              + e.getMessage()
              + "; nothing written"
              + (e instanceof NodeExecutionException
                  ? " (a smaller --crop than the model allows?)"
                  : ""),
          e);
    }
  }

  /** The shutdown hook's work: stop the run, wait for its clean-up, then make sure of it. */
  private void interrupt(Thread worker, CountDownLatch done, FeatureFiles files) {
    cancelled = true;
    try {
      if (!committing) {
        worker.interrupt();
      }
      done.await(committing ? 10 * GRACE_SECONDS : GRACE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      files.abort();
    }
  }

  /**
   * The batch's images, the model's tensors or JavaCPP's native limit (4 x the heap unless set) did
   * not fit: the temporaries are deleted on the way out, and the fix is a smaller batch or more
   * memory.
   */
  private CliException outOfMemory(OutOfMemoryError e) {
    return new CliException(
        ExitCodes.FAILED,
        "out of memory with --batch "
            + request.batchSize()
            + " ("
            + e.getMessage()
            + "); use a smaller --batch, or give the JVM more memory (FEATUREX_JAVA_OPTS=-Xmx8g,"
            + " of which JavaCPP's native limit is 4 times); nothing written",
        e);
  }

  private static CliException interrupted() {
    return new CliException(ExitCodes.INTERRUPTED, "interrupted; nothing written");
  }

  private String header(Map<String, String> selected) {
    List<String> parts = new ArrayList<>();
    selected.forEach((key, node) -> parts.add(key.equals(node) ? key : key + " = " + node));
    return String.format(
        Locale.ROOT,
        "featurex extract: %s, %d image(s), %s; %s; batch %d, %d torch thread(s), %d decoding",
        request.model(),
        images.size(),
        String.join(", ", parts),
        extraction.preprocessing(),
        request.batchSize(),
        request.threads(),
        loaders);
  }

  private Map<String, String> metadata(Map<String, String> selected) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "pt");
    metadata.put("producer", "featurex extract");
    metadata.put("model", request.model());
    metadata.put("weights", Path.of(request.weights()).getFileName().toString());
    List<String> nodes = new ArrayList<>();
    selected.forEach((key, node) -> nodes.add(key + "=" + node));
    metadata.put("nodes", String.join(",", nodes));
    metadata.put("pool", request.pooling().toString());
    metadata.put("preprocessing", extraction.preprocessing().toString());
    metadata.put("paths", FeatureFiles.pathsFile(output).getFileName().toString());
    return metadata;
  }

  /** Where the time went, for the summary line. */
  private final class Stats {
    private final long start = System.nanoTime();
    long waiting;
    long model;
    long skipped;

    String summary(long rows, List<Path> written) {
      double seconds = (System.nanoTime() - start) / 1e9;
      return String.format(
          Locale.ROOT,
          "featurex extract: %d image(s) in %.1f s (%.1f images/s; %.1f s in the model, %.1f s"
              + " waiting for images)%s; wrote %s",
          rows,
          seconds,
          (rows + skipped) / seconds,
          model / 1e9,
          waiting / 1e9,
          skipped == 0 ? "" : "; skipped " + skipped + " unreadable image(s)",
          String.join(", ", written.stream().map(Path::toString).toList()));
    }
  }
}
