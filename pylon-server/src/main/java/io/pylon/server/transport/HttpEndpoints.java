package io.pylon.server.transport;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;

/**
 * What the HTTPS listener serves besides MQTT over WebSocket: metrics and the AWS REST APIs. Called
 * off the event loop on a bounded executor.
 */
@FunctionalInterface
public interface HttpEndpoints {

  FullHttpResponse handle(FullHttpRequest request, HttpPeer peer);
}
