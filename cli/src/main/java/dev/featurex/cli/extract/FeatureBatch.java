package dev.featurex.cli.extract;

import dev.featurex.images.ImageSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The features of one batch of images: for each requested key, one float32 array holding a row per
 * image, in the order of {@link #sources()}.
 *
 * @param sources the image of each row
 * @param features each key's rows, in the order the extractor returns them (execution order)
 */
public record FeatureBatch(List<ImageSource> sources, Map<String, Feature> features) {

  /** Copies the lists (the arrays are shared, not copied). */
  public FeatureBatch {
    sources = List.copyOf(sources);
    features = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(features));
  }

  /** The number of rows. */
  public int size() {
    return sources.size();
  }

  /**
   * One key's rows.
   *
   * @param rowShape the shape of one row, the batch dimension left out ({@code 2048, 7, 7})
   * @param data {@code rows x product(rowShape)} floats, row-major, as the tensor held them
   */
  public record Feature(long[] rowShape, float[] data) {

    /** The number of floats in one row. */
    public int rowLength() {
      long n = 1;
      for (long d : rowShape) {
        n *= d;
      }
      return Math.toIntExact(n);
    }

    /** A copy of row {@code row}. */
    public float[] row(int row) {
      int length = rowLength();
      return Arrays.copyOfRange(data, row * length, (row + 1) * length);
    }

    /** The shape of one row, as a copy. */
    @Override
    public long[] rowShape() {
      return rowShape.clone();
    }

    @Override
    public String toString() {
      return "Feature" + Arrays.toString(rowShape) + "x" + data.length / Math.max(1, rowLength());
    }
  }
}
