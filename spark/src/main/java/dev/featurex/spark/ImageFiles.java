package dev.featurex.spark;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads image files on an executor through Hadoop's file systems ({@code file:}, {@code hdfs:},
 * {@code s3a:}, ... whatever the cluster's class path has), with the driver's Hadoop configuration
 * (so {@code spark.hadoop.*} settings reach the executors). Serializable: a task carries it.
 */
final class ImageFiles implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Larger files are error rows, not an attempt to hold them in one array. */
  static final long MAX_BYTES = 1L << 30;

  private transient Configuration conf;
  private final String base;

  /**
   * Files under {@code conf}; relative paths are resolved against {@code base} (a directory URI),
   * or taken as they are when it is null.
   */
  ImageFiles(Configuration conf, String base) {
    this.conf = conf;
    this.base = base;
  }

  /**
   * The bytes of the file at {@code location}.
   *
   * @throws IOException when it cannot be read, with the reason (no such file, too large, ...)
   */
  byte[] read(String location) throws IOException {
    Path path = new Path(location);
    if (!path.isAbsolute() && base != null) {
      path = new Path(new Path(base), path);
    }
    FileSystem fs = path.getFileSystem(conf);
    FileStatus status = fs.getFileStatus(path);
    if (status.isDirectory()) {
      throw new IOException("it is a directory");
    }
    if (status.getLen() == 0) {
      throw new IOException("the file is empty (0 bytes)");
    }
    if (status.getLen() > MAX_BYTES) {
      throw new IOException(
          "the file has " + status.getLen() + " bytes, more than the limit of " + MAX_BYTES);
    }
    try (InputStream in = fs.open(path)) {
      return in.readAllBytes();
    }
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    conf.write(new DataOutputStream(out));
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    conf = new Configuration(false);
    conf.readFields(new DataInputStream(in));
  }
}
