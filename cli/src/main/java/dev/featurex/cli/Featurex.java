package dev.featurex.cli;

import dev.featurex.runtime.Natives;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code featurex} command: {@code models}, {@code nodes}, {@code graph} and {@code extract}.
 *
 * <p>{@link #main} extracts libtorch's natives before anything loads them (see {@link Natives}),
 * runs the command and exits with its code ({@link ExitCodes}). Tests call {@link #execute} with
 * their own writers.
 */
@Command(
    name = "featurex",
    mixinStandardHelpOptions = true,
    versionProvider = Featurex.Version.class,
    description = "Feature extraction for torchvision's models in Java: images in, features out.",
    subcommands = {
      ModelsCommand.class,
      NodesCommand.class,
      GraphCommand.class,
      ExtractCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done (extract: unreadable images skipped and counted)",
      "1:failed while running (nothing written)",
      "2:bad command line: option, model or node name",
      "3:weights file missing, unreadable or not this model's",
      "4:input missing, unreadable or without images",
      "5:output cannot be written there",
      "6:Graphviz's dot is needed for svg/png and could not be run",
      "130:interrupted (Ctrl-C): nothing written"
    })
public final class Featurex implements Callable<Integer> {

  @Spec private CommandSpec spec;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    Natives.extract(); // first: see the README's troubleshooting
    int code =
        execute(
            args,
            new PrintWriter(System.out, true),
            new PrintWriter(new java.io.OutputStreamWriter(System.err), true));
    System.exit(code);
  }

  /** Runs the command line with {@code out} and {@code err}, and returns its exit code. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new Featurex());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(Featurex::handle);
    commandLine.setParameterExceptionHandler(Featurex::handleParameters);
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** Without a subcommand: the usage, and the usage error code. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /**
   * A command line that does not parse (an unknown option, a malformed or missing value): one line,
   * {@code featurex COMMAND: problem}, and where the usage is, instead of the whole usage.
   */
  private static int handleParameters(CommandLine.ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    PrintWriter err = commandLine.getErr();
    String name = commandLine.getCommandSpec().qualifiedName();
    String message = e.getMessage() == null ? "bad command line" : e.getMessage().strip();
    StringBuilder line = new StringBuilder(name).append(": ").append(message.replace('\n', ' '));
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched
        && !unmatched.getSuggestions().isEmpty()) {
      line.append("; did you mean ")
          .append(String.join(" or ", unmatched.getSuggestions()))
          .append('?');
    }
    line.append(" (").append(name).append(" --help shows the usage)");
    err.println(line);
    err.flush();
    return ExitCodes.USAGE;
  }

  private static int handle(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    if (e instanceof CliException cli) {
      err.println("featurex " + commandLine.getCommandName() + ": " + cli.getMessage());
      err.flush();
      return cli.exitCode();
    }
    err.println(
        "featurex "
            + commandLine.getCommandName()
            + ": unexpected error, please report it with this trace: "
            + e);
    e.printStackTrace(err);
    err.flush();
    return ExitCodes.FAILED;
  }

  /** The version from the jar's manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Featurex.class.getPackage().getImplementationVersion();
      return new String[] {"featurex " + (version == null ? "(development build)" : version)};
    }
  }
}
