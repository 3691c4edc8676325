package dev.featurex.spark;

import dev.featurex.images.ImageDecodeException;
import dev.featurex.images.ImageDecoder;
import dev.featurex.images.ImageSource;
import dev.featurex.images.Preprocessing;
import dev.featurex.images.RgbImage;
import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.runtime.Pooling;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;

/**
 * The rows of one partition, computed a batch at a time as the writer pulls them: read each file,
 * decode and preprocess it into the batch's float array, run the extractor once per batch on the
 * task's {@link ForwardLane} (this thread, or the executor's forward thread), emit one row per
 * image in input order. The time from handing a batch's rows over to being asked for more is the
 * writer's ({@link StageMetrics#writeNanos}). An image that cannot be read, decoded or preprocessed
 * becomes an error row and the batch goes on without it; an extractor failure fails the task (it is
 * not about one image: the driver has already run the model once on a blank image).
 */
final class PartitionExtractor implements Iterator<Row> {

  private final Iterator<String> paths;
  private final FeatureExtractor extractor;
  private final ForwardLane lane;
  private final Preprocessing preprocessing;
  private final ImageDecoder decoder = ImageDecoder.create();
  private final ImageFiles files;
  private final OutputSchema schema;
  private final Pooling pooling;
  private final StageMetrics metrics;
  private final int batchSize;
  private final float[] data;
  private final ArrayDeque<Row> ready = new ArrayDeque<>();
  private long handedOver; // when the last batch's rows were queued; 0 when none is out

  PartitionExtractor(
      Iterator<String> paths,
      FeatureExtractor extractor,
      ForwardLane lane,
      Preprocessing preprocessing,
      ImageFiles files,
      OutputSchema schema,
      Pooling pooling,
      StageMetrics metrics,
      int batchSize) {
    this.paths = paths;
    this.extractor = extractor;
    this.lane = lane;
    this.preprocessing = preprocessing;
    this.files = files;
    this.schema = schema;
    this.pooling = pooling;
    this.metrics = metrics;
    this.batchSize = batchSize;
    this.data = new float[Math.multiplyExact(batchSize, preprocessing.floatsPerImage())];
  }

  @Override
  public boolean hasNext() {
    if (ready.isEmpty() && handedOver != 0) {
      metrics.writeNanos.add(System.nanoTime() - handedOver);
      handedOver = 0;
    }
    while (ready.isEmpty() && paths.hasNext()) {
      nextBatch();
    }
    return !ready.isEmpty();
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.poll();
  }

  /** Reads up to a batch of paths and queues their rows. */
  private void nextBatch() {
    String[] slots = new String[batchSize];
    List<Object> order = new ArrayList<>(batchSize); // a slot number, or an error row
    long read = 0;
    long decode = 0;
    long preprocess = 0;
    int n = 0;
    while (n < batchSize && paths.hasNext()) {
      String path = paths.next();
      long t0 = System.nanoTime();
      byte[] bytes;
      try {
        bytes = files.read(path);
      } catch (IOException | RuntimeException e) {
        order.add(schema.error(path, "cannot read image " + path + ": " + e.getMessage()));
        continue;
      } finally {
        read += System.nanoTime() - t0;
      }
      long t1 = System.nanoTime();
      RgbImage rgb;
      try {
        rgb = decoder.decode(ImageSource.of(path, bytes));
      } catch (ImageDecodeException | RuntimeException e) {
        order.add(schema.error(path, e.getMessage()));
        continue;
      } finally {
        decode += System.nanoTime() - t1;
      }
      long t2 = System.nanoTime();
      try {
        preprocessing.apply(rgb, data, n * preprocessing.floatsPerImage());
      } catch (RuntimeException e) {
        order.add(schema.error(path, "cannot preprocess image " + path + ": " + e.getMessage()));
        continue;
      } finally {
        preprocess += System.nanoTime() - t2;
      }
      slots[n] = path;
      order.add(n);
      n++;
    }
    int images = n;
    ForwardLane.Timed<Map<String, BatchFeatures.Feature>> features =
        n == 0
            ? new ForwardLane.Timed<>(Map.of(), 0, 0)
            : lane.run(
                () ->
                    BatchFeatures.run(
                        extractor,
                        pooling,
                        data,
                        images,
                        preprocessing.height(),
                        preprocessing.width()));
    for (Object item : order) {
      ready.add(
          item instanceof Integer slot
              ? schema.features(slots[slot], features.value(), slot)
              : (Row) item);
    }
    metrics.images.add(n);
    metrics.failures.add(order.size() - n);
    metrics.batches.add(n == 0 ? 0 : 1);
    metrics.readNanos.add(read);
    metrics.decodeNanos.add(decode);
    metrics.preprocessNanos.add(preprocess);
    metrics.extractNanos.add(features.nanos());
    metrics.waitNanos.add(features.waitNanos());
    handedOver = ready.isEmpty() ? 0 : System.nanoTime();
  }
}
