package io.pylon.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "version", description = "Print the Pylon and Java versions.")
final class VersionCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (String line : new PylonVersion().getVersion()) {
      out.println(line);
    }
    out.flush();
    return PylonCli.EXIT_OK;
  }
}
