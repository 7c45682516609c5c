/**
 * The {@code pylon} command line (picocli): {@code pylon start} loads the configuration, starts a
 * server through a {@link io.pylon.server.cli.ServerLauncher} and runs until a {@link
 * io.pylon.server.cli.StopSignal} (SIGINT/SIGTERM) fires; {@code pylon version}; room for tools
 * such as {@code bench}. It owns exit codes and the plain {@code pylon: <message>} reporting of
 * operator errors, and nothing about how a server is built.
 */
package io.pylon.server.cli;
