package dev.featurex.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet rows the job writes: {@code path} (string), then for each requested key {@code <key>}
 * ({@code array<float>}, one image's feature, row-major) and {@code <key>_shape} ({@code
 * array<int>}, its shape without the batch dimension), then {@code error} (string). A row has
 * either its features (and a null {@code error}) or an {@code error} (and null features).
 *
 * <p>A key becomes a column name with every character other than a letter, digit or underscore
 * replaced by an underscore ({@code layer4.1.relu} → {@code layer4_1_relu}), as the processor names
 * record components, so that no column needs quoting in SQL.
 *
 * @param keys the extractor's keys, in column order
 */
record OutputSchema(List<String> keys) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The path column. */
  static final String PATH = "path";

  /** The error column. */
  static final String ERROR = "error";

  /**
   * Checks that the keys give distinct columns that clash with neither {@code path} nor {@code
   * error}.
   *
   * @throws IllegalArgumentException naming the clash and the fix (a key: {@code --nodes
   *     node:other_key})
   */
  OutputSchema {
    keys = List.copyOf(keys);
    Set<String> taken = new HashSet<>(List.of(PATH, ERROR));
    for (String key : keys) {
      String column = column(key);
      for (String name : List.of(column, column + "_shape")) {
        if (!taken.add(name)) {
          throw new IllegalArgumentException(
              "the key \""
                  + key
                  + "\" gives the column \""
                  + name
                  + "\", which another column already has; name it with --nodes NODE:KEY");
        }
      }
    }
  }

  /** The column of {@code key}: its characters other than {@code [A-Za-z0-9_]} as {@code _}. */
  static String column(String key) {
    StringBuilder name = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean plain =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      name.append(plain ? c : '_');
    }
    return name.toString();
  }

  /** The Spark schema of the rows. */
  StructType structType() {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(PATH, DataTypes.StringType, false));
    for (String key : keys) {
      String column = column(key);
      fields.add(
          DataTypes.createStructField(
              column, DataTypes.createArrayType(DataTypes.FloatType, false), true));
      fields.add(
          DataTypes.createStructField(
              column + "_shape", DataTypes.createArrayType(DataTypes.IntegerType, false), true));
    }
    fields.add(DataTypes.createStructField(ERROR, DataTypes.StringType, true));
    return DataTypes.createStructType(fields);
  }

  /** The row of image {@code row} of a batch whose features are {@code features}. */
  Row features(String path, Map<String, BatchFeatures.Feature> features, int row) {
    Object[] values = new Object[2 + 2 * keys.size()];
    values[0] = path;
    int i = 1;
    for (String key : keys) {
      BatchFeatures.Feature feature = features.get(key);
      values[i++] = feature.row(row);
      values[i++] = feature.shape().clone();
    }
    values[i] = null;
    return RowFactory.create(values);
  }

  /** The row of an image that could not be read or decoded. */
  Row error(String path, String message) {
    Object[] values = new Object[2 + 2 * keys.size()];
    values[0] = path;
    values[values.length - 1] = message;
    return RowFactory.create(values);
  }
}
