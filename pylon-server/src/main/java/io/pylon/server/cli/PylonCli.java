package io.pylon.server.cli;

import io.pylon.server.config.ConfigException;
import io.pylon.server.pki.DataDirectoryException;
import io.pylon.store.StoreException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.ParseResult;

/**
 * The {@code pylon} command line. Subcommands are registered here, so adding one ({@code bench},
 * {@code rules test}) is one {@code addSubcommand} line. Operator mistakes (bad configuration,
 * unusable data directory, bad arguments) print {@code pylon: <message>} and exit 2; anything else
 * is a failure worth a stack trace and exits 1.
 */
public final class PylonCli {

  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

  private final CommandLine commandLine;

  /** The production command line: the real environment and JVM shutdown as the stop signal. */
  public PylonCli(ServerLauncher launcher) {
    this(launcher, System.getenv(), StopSignal::onJvmShutdown);
  }

  public PylonCli(
      ServerLauncher launcher,
      Map<String, String> env,
      Function<Duration, StopSignal> stopSignals) {
    commandLine =
        new CommandLine(new PylonCommand())
            .addSubcommand("start", new StartCommand(launcher, env, stopSignals))
            .addSubcommand("rules", new RulesCommand())
            .addSubcommand("version", new VersionCommand())
            .addSubcommand("help", new HelpCommand());
    commandLine.setExecutionExceptionHandler(PylonCli::handleFailure);
  }

  /** The picocli model, e.g. to redirect output in tests or to add subcommands. */
  public CommandLine commandLine() {
    return commandLine;
  }

  /** Runs the command and returns its exit code. */
  public int execute(String... args) {
    return commandLine.execute(args);
  }

  private static int handleFailure(Exception e, CommandLine command, ParseResult parseResult) {
    PrintWriter err = command.getErr();
    Throwable operatorError = operatorError(e);
    if (operatorError != null) {
      for (String line : String.valueOf(operatorError.getMessage()).split("\n")) {
        err.println("pylon: " + line);
      }
      err.flush();
      return EXIT_USAGE;
    }
    err.println("pylon: " + command.getCommandName() + " failed: " + e);
    e.printStackTrace(err);
    err.flush();
    return EXIT_FAILURE;
  }

  /**
   * The configuration, data-directory or storage error behind {@code e}, if any, however deeply
   * wrapped.
   */
  private static Throwable operatorError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConfigException
          || t instanceof DataDirectoryException
          || t instanceof StoreException) {
        return t;
      }
    }
    return null;
  }
}
