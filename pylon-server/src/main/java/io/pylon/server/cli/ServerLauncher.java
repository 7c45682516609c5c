package io.pylon.server.cli;

import io.pylon.server.config.PylonConfig;

/**
 * Starts a server from a configuration; the command line depends on this instead of on the server
 * class, so that it can be tested with a fake and so that tools can start servers of their own.
 * {@code PylonServer::start} is the production implementation.
 */
@FunctionalInterface
public interface ServerLauncher {

  /**
   * Starts serving and returns once the listeners are open.
   *
   * @return the running server; closing it stops it within the configured grace period
   * @throws Exception when the server cannot start; a {@link
   *     io.pylon.server.config.ConfigException} or {@link
   *     io.pylon.server.pki.DataDirectoryException} (also as a cause) is shown to the operator as a
   *     plain message
   */
  AutoCloseable start(PylonConfig config) throws Exception;
}
