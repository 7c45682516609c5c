package io.pylon.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pylon}: the top command; does nothing itself but list its subcommands. */
@Command(
    name = "pylon",
    mixinStandardHelpOptions = true,
    versionProvider = PylonVersion.class,
    description = "A self-hosted AWS IoT Core.",
    synopsisSubcommandLabel = "COMMAND")
final class PylonCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return PylonCli.EXIT_USAGE;
  }
}
