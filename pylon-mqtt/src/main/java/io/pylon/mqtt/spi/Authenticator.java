package io.pylon.mqtt.spi;

import java.util.concurrent.CompletionStage;

/**
 * Decides who a connecting client is. Called once per CONNECT on the connection's event loop; an
 * implementation that needs storage must complete the stage from another thread, never block.
 */
@FunctionalInterface
public interface Authenticator {

  CompletionStage<AuthResult> authenticate(ConnectRequest request);
}
