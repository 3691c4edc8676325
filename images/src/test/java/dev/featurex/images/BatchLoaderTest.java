package dev.featurex.images;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** Order, per-image failures, bounded prefetch, shutdown and the tensor. */
class BatchLoaderTest {

  private static final Preprocessing SMALL =
      Preprocessing.builder().resize(20).centerCrop(16, 18).build();

  /** Distinct images: each a PNG or JPEG from the reference set, re-encoded to differ. */
  private static List<ImageSource> sources(int count) {
    String[] images = {"photo.png", "photo_q90.jpg", "cmyk.jpg", "palette.gif", "photo.bmp"};
    List<ImageSource> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String image = images[i % images.length];
      out.add(ImageSource.of(i + ":" + image, Reference.bytes(image)));
    }
    return out;
  }

  private static float[] expected(ImageSource source) throws ImageDecodeException {
    return SMALL.apply(ImageDecoder.create().decode(source));
  }

  @Test
  void batchesComeInInputOrderWhateverTheThreads() throws Exception {
    List<ImageSource> input = sources(23);
    for (int threads : new int[] {1, 3, 8}) {
      List<ImageSource> seen = new ArrayList<>();
      try (BatchLoader loader =
          BatchLoader.builder(SMALL).batchSize(5).threads(threads).prefetch(3).open(input)) {
        long index = 0;
        while (loader.hasNext()) {
          ImageBatch batch = loader.next();
          assertThat(batch.index()).isEqualTo(index++);
          assertThat(batch.failures()).isEmpty();
          for (int row = 0; row < batch.size(); row++) {
            float[] rowData = new float[SMALL.floatsPerImage()];
            System.arraycopy(batch.data(), row * rowData.length, rowData, 0, rowData.length);
            assertThat(rowData).isEqualTo(expected(batch.sources().get(row)));
          }
          seen.addAll(batch.sources());
        }
        assertThat(index).isEqualTo(5);
      }
      assertThat(seen).containsExactlyElementsIn(input).inOrder();
    }
  }

  @Test
  void failuresAreReportedPerImageAndTheBatchGoesOn() throws Exception {
    List<ImageSource> input = new ArrayList<>(sources(6));
    input.add(1, ImageSource.of("broken.jpg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}));
    input.add(4, ImageSource.of("text.png", "not a png".getBytes()));
    try (BatchLoader loader = BatchLoader.builder(SMALL).batchSize(4).threads(2).open(input)) {
      ImageBatch first = loader.next();
      assertThat(first.size()).isEqualTo(3);
      assertThat(first.sources())
          .containsExactly(input.get(0), input.get(2), input.get(3))
          .inOrder();
      assertThat(first.failures()).hasSize(1);
      ImageFailure broken = first.failures().get(0);
      assertThat(broken.index()).isEqualTo(1);
      assertThat(broken.message()).startsWith("broken.jpg: ");
      float[] row2 = new float[SMALL.floatsPerImage()];
      System.arraycopy(first.data(), 2 * row2.length, row2, 0, row2.length);
      assertThat(row2).isEqualTo(expected(input.get(3)));

      ImageBatch second = loader.next();
      assertThat(second.failures().get(0).index()).isEqualTo(4);
      assertThat(second.failures().get(0).reason()).startsWith("not an image");
      assertThat(second.size()).isEqualTo(3);
      assertThat(loader.hasNext()).isFalse();
      assertThrows(NoSuchElementException.class, loader::next);
    }
  }

  @Test
  void allFailedGivesAnEmptyBatch() {
    List<ImageSource> input = List.of(ImageSource.of("a", new byte[0]));
    try (BatchLoader loader = BatchLoader.builder(SMALL).open(input)) {
      ImageBatch batch = loader.next();
      assertThat(batch.size()).isEqualTo(0);
      assertThat(batch.shape()).asList().containsExactly(0L, 3L, 16L, 18L).inOrder();
      try (Tensor t = batch.toTensor()) {
        assertThat(t.numel()).isEqualTo(0);
      }
    }
  }

  @Test
  void inputIsReadLazilyAndPrefetchIsBounded() {
    AtomicInteger taken = new AtomicInteger();
    Iterator<ImageSource> endless =
        new Iterator<>() {
          final byte[] png = Reference.bytes("photo.png");

          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public ImageSource next() {
            return ImageSource.of("endless-" + taken.incrementAndGet(), png);
          }
        };
    try (BatchLoader loader =
        BatchLoader.builder(SMALL).batchSize(4).threads(2).prefetch(2).open(endless)) {
      for (int i = 0; i < 5; i++) {
        loader.next();
        assertThat(loader.inFlight()).isAtMost(2);
        // The batches handed out plus at most two in flight.
        assertThat(taken.get()).isAtMost(4 * (i + 1 + 2));
      }
    }
  }

  @Test
  void closeStopsTheThreads() {
    List<ImageSource> input = sources(200);
    BatchLoader loader = BatchLoader.builder(SMALL).batchSize(8).threads(3).open(input);
    loader.next();
    loader.close();
    assertThat(loader.isTerminated()).isTrue();
    assertThat(loader.hasNext()).isFalse();
    assertThrows(NoSuchElementException.class, loader::next);
    loader.close();
  }

  @Test
  void interruptedCallerClosesTheLoader() throws Exception {
    List<ImageSource> input = sources(64);
    BatchLoader loader = BatchLoader.builder(SMALL).batchSize(64).threads(1).open(input);
    Thread.currentThread().interrupt();
    try {
      assertThrows(java.util.concurrent.CancellationException.class, loader::next);
      assertThat(Thread.interrupted()).isTrue();
    } finally {
      loader.close();
    }
    assertThat(loader.isTerminated()).isTrue();
  }

  @Test
  void toTensorCopiesTheBatch() throws Exception {
    try (BatchLoader loader = BatchLoader.builder(SMALL).batchSize(3).open(sources(3));
        Tensor t = loader.next().toTensor()) {
      assertThat(t.sizes().vec().get()).asList().containsExactly(3L, 3L, 16L, 18L).inOrder();
      float[] back = new float[(int) t.numel()];
      t.contiguous().data_ptr_float().get(back);
      float[] first = expected(sources(1).get(0));
      assertThat(java.util.Arrays.copyOf(back, first.length)).isEqualTo(first);
    }
  }

  @Test
  void optionsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> BatchLoader.builder(SMALL).threads(0));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BatchLoader.builder(Preprocessing.imagenet()).batchSize(20_000).open(List.of()));
    // 3 x 224 x 224 floats an image: 14,266 images fit in one array, 14,267 do not.
    assertThat(BatchLoader.maxBatchSize(Preprocessing.imagenet())).isEqualTo(14_266);
    assertThat(e).hasMessageThat().contains("use batches of at most 14266");
    BatchLoader.builder(Preprocessing.imagenet()).batchSize(14_266).open(List.of()).close();
  }
}
