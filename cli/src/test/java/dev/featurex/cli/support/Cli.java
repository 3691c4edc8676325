package dev.featurex.cli.support;

import dev.featurex.cli.Featurex;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process with captured output. */
public final class Cli {

  /**
   * What a run printed and returned.
   *
   * @param code the exit code
   * @param out standard output
   * @param err standard error
   */
  public record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- out\n" + out + "\n--- err\n" + err;
    }
  }

  private Cli() {}

  /** {@code featurex args...}. */
  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Featurex.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }
}
