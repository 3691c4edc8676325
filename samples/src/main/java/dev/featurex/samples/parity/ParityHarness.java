package dev.featurex.samples.parity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.global.torch;

/**
 * The Java side of {@code samples/parity/run.sh}.
 *
 * <ul>
 *   <li>{@code check DIR BATCHES}: {@link ParityCheck}; exits with status 1 when a check fails.
 *   <li>{@code time DIR LABEL MODELS BATCHES THREADS REPS WARMUP ROUND}: {@link ParityTiming};
 *       appends to {@code DIR/timings.csv} under the side {@code LABEL}. Lists are comma-separated;
 *       {@code REPS} is one count, or {@code batch:count} pairs ({@code 1:10,16:3}).
 *   <li>{@code isa}: runs one convolution, so that {@code ONEDNN_VERBOSE=1} in the environment
 *       prints the instruction set oneDNN picked; prints libtorch's ATen CPU capability.
 * </ul>
 */
public final class ParityHarness {

  private ParityHarness() {}

  /** Runs one step; see the class comment. */
  @SuppressWarnings("try") // a NoGradGuard works by being open, never named
  public static void main(String[] args) throws IOException {
    dev.featurex.runtime.Natives.extract(); // before libtorch loads (see Natives)
    if (args.length == 3 && args[0].equals("check")) {
      if (!ParityCheck.run(Path.of(args[1]), ints(args[2]))) {
        System.exit(1);
      }
    } else if (args.length == 9 && args[0].equals("time")) {
      new ParityTiming(Path.of(args[1]), args[2])
          .run(
              List.of(args[3].split(",")),
              ints(args[4]),
              ints(args[5]),
              reps(args[6], ints(args[4])),
              Integer.parseInt(args[7]),
              Integer.parseInt(args[8]));
    } else if (args.length == 1 && args[0].equals("isa")) {
      try (NoGradGuard noGrad = new NoGradGuard()) {
        new Conv2dImpl(64, 64, new LongPointer(3L, 3L)).forward(torch.randn(1, 64, 56, 56));
      }
      System.out.println("ATen CPU capability " + torch.get_cpu_capability().getString());
    } else {
      System.err.println("usage: ParityHarness check DIR BATCHES");
      System.err.println(
          "       ParityHarness time DIR LABEL MODELS BATCHES THREADS REPS WARMUP ROUND");
      System.err.println("       ParityHarness isa");
      System.exit(2);
    }
  }

  private static int[] ints(String list) {
    return Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  private static Map<Integer, Integer> reps(String spec, int[] batches) {
    Map<Integer, Integer> reps = new LinkedHashMap<>();
    if (!spec.contains(":")) {
      for (int b : batches) {
        reps.put(b, Integer.parseInt(spec));
      }
      return reps;
    }
    for (String pair : spec.split(",")) {
      String[] p = pair.split(":");
      reps.put(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
    }
    return reps;
  }
}
