package io.pylon.server;

/** A running Pylon: listeners, broker and storage, wired by hand. (Being written.) */
public final class PylonServer implements AutoCloseable {

  private PylonServer() {}

  @Override
  public void close() {}
}
