package dev.featurex.samples.parity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The Java side of {@code samples/parity/run.sh}.
 *
 * <ul>
 *   <li>{@code check DIR}: {@link ParityCheck}; exits with status 1 when a check fails.
 *   <li>{@code time DIR LABEL THREADS REPS WARMUP ROUND}: {@link ParityTiming}; appends to {@code
 *       DIR/timings.csv} under the side {@code LABEL}; {@code THREADS} is comma-separated.
 * </ul>
 */
public final class ParityHarness {

  private ParityHarness() {}

  /** Runs one step; see the class comment. */
  public static void main(String[] args) throws IOException {
    dev.featurex.runtime.Natives.extract(); // before libtorch loads (see Natives)
    if (args.length == 2 && args[0].equals("check")) {
      if (!ParityCheck.run(Path.of(args[1]))) {
        System.exit(1);
      }
    } else if (args.length == 7 && args[0].equals("time")) {
      int[] threads = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
      new ParityTiming(Path.of(args[1]), args[2])
          .run(
              threads,
              Integer.parseInt(args[4]),
              Integer.parseInt(args[5]),
              Integer.parseInt(args[6]));
    } else {
      System.err.println("usage: ParityHarness check DIR");
      System.err.println("       ParityHarness time DIR LABEL THREADS REPS WARMUP ROUND");
      System.exit(2);
    }
  }
}
