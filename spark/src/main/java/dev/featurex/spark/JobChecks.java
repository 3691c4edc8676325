package dev.featurex.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.security.AccessControlException;

/**
 * The driver's checks of the job's files, through Hadoop's file systems, before anything is shipped
 * or listed: the weights are a readable file, the input exists, the output does not (unless {@code
 * --overwrite}). {@link ExtractJob#main} runs them before Spark starts for the paths on the local
 * file system (an error then comes without Spark's start-up log), and {@link ExtractJob#run} for
 * all of them.
 */
final class JobChecks {

  private JobChecks() {}

  /**
   * Checks the weights, the input (not a table: that needs the session) and the output.
   *
   * @param localOnly whether to check only the paths on the local file system ({@code file:}, or no
   *     scheme with a local default file system)
   * @throws JobException naming the option, the problem and the fix
   */
  static void files(Configuration conf, ExtractOptions options, boolean localOnly) {
    Path weights = new Path(options.weights());
    if (!localOnly || isLocal(conf, weights)) {
      weights(conf, weights, options.weights());
    }
    if (options.input().kind() != ExtractOptions.InputKind.TABLE) {
      Path input = new Path(options.input().location());
      if (!localOnly || isLocal(conf, input)) {
        input(conf, input, options);
      }
    }
    Path output = new Path(options.output());
    if (!options.overwrite() && (!localOnly || isLocal(conf, output))) {
      output(conf, output, options.output());
    }
  }

  /** Whether {@code path} is on the local file system, decided from its scheme alone. */
  static boolean isLocal(Configuration conf, Path path) {
    String scheme = path.toUri().getScheme();
    if (scheme == null) {
      scheme = FileSystem.getDefaultUri(conf).getScheme();
    }
    return "file".equals(scheme);
  }

  private static void weights(Configuration conf, Path path, String given) {
    try {
      FileSystem fs = path.getFileSystem(conf);
      FileStatus status = fs.getFileStatus(path);
      if (status.isDirectory()) {
        throw new JobException(
            JobException.Kind.WEIGHTS,
            "--weights " + given + " is a directory; name the checkpoint file in it");
      }
      fs.access(path, FsAction.READ);
    } catch (FileNotFoundException e) {
      throw new JobException(
          JobException.Kind.WEIGHTS,
          "--weights "
              + given
              + " does not exist; give the checkpoint's path or URI (torchvision's .pth, a"
              + " torch.save state dict or .safetensors)",
          e);
    } catch (AccessControlException e) {
      throw new JobException(
          JobException.Kind.WEIGHTS,
          "--weights " + given + " cannot be read (permission denied)",
          e);
    } catch (IOException e) {
      throw new JobException(
          JobException.Kind.WEIGHTS, "cannot read --weights " + given + ": " + e.getMessage(), e);
    }
  }

  private static void input(Configuration conf, Path path, ExtractOptions options) {
    boolean list = options.input().kind() == ExtractOptions.InputKind.LIST;
    String option = (list ? "--input-list " : "--input ") + options.input().location();
    try {
      FileSystem fs = path.getFileSystem(conf);
      if (list) {
        if (fs.getFileStatus(path).isDirectory()) {
          throw new JobException(
              JobException.Kind.INPUT,
              option
                  + " is a directory; give a text file of image paths, one per line (or the"
                  + " folder as --input)");
        }
        return;
      }
      FileStatus[] found = fs.globStatus(path);
      if (found == null || found.length == 0) {
        throw new FileNotFoundException(path.toString());
      }
    } catch (FileNotFoundException e) {
      throw new JobException(
          JobException.Kind.INPUT,
          option
              + (list
                  ? " does not exist; give a text file of image paths, one per line"
                  : " does not exist; give a folder of images, an image file or a glob"),
          e);
    } catch (IOException e) {
      throw new JobException(
          JobException.Kind.INPUT, "cannot read " + option + ": " + e.getMessage(), e);
    }
  }

  private static void output(Configuration conf, Path path, String given) {
    String state;
    try {
      FileSystem fs = path.getFileSystem(conf);
      if (!fs.exists(path)) {
        return;
      }
      if (!fs.getFileStatus(path).isDirectory()) {
        state = "";
      } else if (fs.exists(new Path(path, "_SUCCESS"))) {
        state = " (a finished job's output)";
      } else {
        state = ", without a _SUCCESS file (a failed or unfinished job's output?)";
      }
    } catch (IOException e) {
      throw new JobException(
          JobException.Kind.OUTPUT, "cannot check --output " + given + ": " + e.getMessage(), e);
    }
    throw new JobException(
        JobException.Kind.OUTPUT,
        "--output " + given + " exists" + state + "; remove it or add --overwrite to replace it");
  }
}
