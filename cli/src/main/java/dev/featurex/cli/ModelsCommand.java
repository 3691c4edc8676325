package dev.featurex.cli;

import dev.featurex.models.Zoo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code featurex models}: the zoo's models, with the preprocessing of torchvision's weights. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the models MODEL can name: torchvision's names, the Java class, and the",
      "preprocessing of torchvision's IMAGENET1K_V1 weights (extract's default)."
    })
final class ModelsCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(names = "--names", description = "Only the names, one per line (for scripts).")
  private boolean namesOnly;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (namesOnly) {
      Zoo.names().forEach(out::println);
      return ExitCodes.OK;
    }
    String format = "%-20s %-18s %s%n";
    out.printf(format, "MODEL", "CLASS", "PREPROCESSING (resize, crop, interpolation)");
    for (Zoo.Entry entry : Zoo.entries()) {
      out.printf(
          format,
          entry.name(),
          entry.family().getSimpleName(),
          entry.resizeSize() + ", " + entry.cropSize() + ", " + entry.interpolation());
    }
    return ExitCodes.OK;
  }
}
