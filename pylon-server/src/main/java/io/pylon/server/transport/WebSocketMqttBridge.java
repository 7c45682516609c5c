package io.pylon.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.pylon.mqtt.broker.ListenerSettings;
import io.pylon.mqtt.broker.MqttBroker;

/** Once the WebSocket handshake completes, puts the MQTT pipeline behind the frame codec. */
final class WebSocketMqttBridge extends ChannelInboundHandlerAdapter {

  private final MqttBroker broker;
  private final ListenerSettings settings;

  WebSocketMqttBridge(MqttBroker broker, ListenerSettings settings) {
    this.broker = broker;
    this.settings = settings;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
      ctx.pipeline().remove(HttpFrontHandler.class);
      // From here on MQTT keep-alive governs idleness, not the HTTP idle timeout.
      if (ctx.pipeline().get("http-idle") != null) {
        ctx.pipeline().remove("http-idle");
      }
      ctx.pipeline().addLast("ws-mqtt", new WebSocketMqttCodec());
      broker.initPipeline(ctx.pipeline(), settings.asWebSocket());
      ctx.pipeline().remove(this);
      return;
    }
    super.userEventTriggered(ctx, evt);
  }
}
