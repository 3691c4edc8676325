package dev.featurex.images;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

/**
 * One batch being loaded: each slot is written by one task, into its own range of one shared float
 * array, so no two threads touch the same memory; the latch publishes the writes to the caller.
 */
final class BatchJob {

  final long index;
  private final long firstInput;
  private final List<ImageSource> sources;
  private final Preprocessing preprocessing;
  private final float[] data;
  private final ImageFailure[] failures;
  private final CountDownLatch done;
  private volatile Throwable fatal;

  BatchJob(long index, long firstInput, List<ImageSource> sources, Preprocessing preprocessing) {
    this.index = index;
    this.firstInput = firstInput;
    this.sources = sources;
    this.preprocessing = preprocessing;
    this.data = new float[sources.size() * preprocessing.floatsPerImage()];
    this.failures = new ImageFailure[sources.size()];
    this.done = new CountDownLatch(sources.size());
  }

  /** Decodes and preprocesses slot {@code slot}; never throws for a bad image. */
  void load(int slot, ImageDecoder decoder, BooleanSupplier cancelled) {
    ImageSource source = sources.get(slot);
    try {
      if (cancelled.getAsBoolean()) {
        return;
      }
      RgbImage image = decoder.decode(source);
      preprocessing.apply(image, data, slot * preprocessing.floatsPerImage());
    } catch (ImageDecodeException e) {
      failures[slot] = new ImageFailure(source, firstInput + slot, e.reason(), e);
    } catch (RuntimeException | OutOfMemoryError e) {
      failures[slot] = new ImageFailure(source, firstInput + slot, "preprocessing failed: " + e, e);
    } catch (Error e) {
      fatal = e;
    } finally {
      done.countDown();
    }
  }

  void await() throws InterruptedException {
    done.await();
  }

  /** The batch, with the failed slots taken out of the array. */
  ImageBatch toBatch() {
    if (fatal != null) {
      throw new IllegalStateException("an image loading thread died", fatal);
    }
    int per = preprocessing.floatsPerImage();
    List<ImageSource> kept = new ArrayList<>(sources.size());
    List<ImageFailure> failed = new ArrayList<>();
    float[] out = data;
    int rows = 0;
    for (int slot = 0; slot < sources.size(); slot++) {
      if (failures[slot] != null) {
        failed.add(failures[slot]);
        continue;
      }
      if (rows != slot) {
        System.arraycopy(data, slot * per, data, rows * per, per);
      }
      kept.add(sources.get(slot));
      rows++;
    }
    if (rows != sources.size()) {
      out = java.util.Arrays.copyOf(data, rows * per);
    }
    return new ImageBatch(index, out, preprocessing.height(), preprocessing.width(), kept, failed);
  }
}
