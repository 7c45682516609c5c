package io.pylon.server;

import io.pylon.server.cli.PylonCli;
import io.pylon.server.cli.ServerLauncher;

/** The {@code pylon} executable. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {

    ServerLauncher launcher = PylonServer::start;
    System.exit(new PylonCli(launcher).execute(args));
  }
}
