package io.pylon.server.transport;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;

/**
 * What the HTTPS listener serves besides MQTT over WebSocket: metrics now, the AWS REST APIs and
 * the console as they arrive. Called off the event loop on a bounded executor.
 */
@FunctionalInterface
public interface HttpEndpoints {

  FullHttpResponse handle(FullHttpRequest request);
}
