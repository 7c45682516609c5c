package io.pylon.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * One MQTT client connection of the load tool: the protocol chores (CONNECT, SUBSCRIBE,
 * acknowledgements, pings) with the scenario's logic plugged in as a {@link Listener}.
 *
 * <p>Design notes: runs on its channel's event loop only, except {@link #subscribe}, {@link #ping}
 * and {@link #disconnect}, which hop onto it. Acknowledgements are written without flushing and
 * flushed once per read batch ({@code channelReadComplete}), so a subscriber answering a burst of
 * QoS 1 messages makes one syscall, not one per PUBACK. Anything unexpected from the server is
 * counted in the {@link ErrorLog} rather than thrown, because a benchmark must report errors next
 * to its numbers, not stop at the first one.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter {

  /** What a scenario does with a connection's traffic; called on the connection's event loop. */
  interface Listener {
    default void onPublish(MqttConnection connection, ByteBuf payload) {}

    /** A PUBACK (QoS 1) or PUBCOMP (QoS 2) for one of this connection's publishes. */
    default void onPublishAcknowledged(MqttConnection connection) {}

    default void onWritable(MqttConnection connection) {}
  }

  private static final Listener NO_LISTENER = new Listener() {};
  private static final MqttFixedHeader PUBACK =
      header(MqttMessageType.PUBACK, MqttQoS.AT_MOST_ONCE);
  private static final MqttFixedHeader PUBREC =
      header(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE);
  // [MQTT-3.6.1-1]: PUBREL carries QoS 1 in its fixed header flags.
  private static final MqttFixedHeader PUBREL =
      header(MqttMessageType.PUBREL, MqttQoS.AT_LEAST_ONCE);
  private static final MqttFixedHeader PUBCOMP =
      header(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE);

  final String clientId;
  private final MqttVersion version;
  private final int keepAliveSeconds;
  private final ErrorLog errors;
  private final CompletableFuture<MqttConnection> connected = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile Listener listener = NO_LISTENER;
  private volatile Channel channel;
  private volatile boolean closing;
  private CompletableFuture<Void> pendingSubscribe;
  private boolean flushPending;

  MqttConnection(String clientId, MqttVersion version, int keepAliveSeconds, ErrorLog errors) {
    this.clientId = clientId;
    this.version = version;
    this.keepAliveSeconds = keepAliveSeconds;
    this.errors = errors;
  }

  CompletableFuture<MqttConnection> connected() {
    return connected;
  }

  CompletableFuture<Void> closed() {
    return closed;
  }

  Channel channel() {
    return channel;
  }

  void listener(Listener l) {
    this.listener = l;
  }

  /**
   * The TCP (or TLS) connection could not be established at all, so no channel event will follow.
   */
  void connectFailed(Throwable cause) {
    errors.record("connect failed: " + rootMessage(cause));
    connected.completeExceptionally(cause);
    closed.complete(null);
  }

  /** One SUBSCRIBE with every filter at {@code qos}; completes when all are granted. */
  CompletableFuture<Void> subscribe(String filter, int qos) {
    return subscribe(new String[] {filter}, qos);
  }

  CompletableFuture<Void> subscribe(String[] filters, int qos) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    channel
        .eventLoop()
        .execute(
            () -> {
              if (pendingSubscribe != null) {
                done.completeExceptionally(new IllegalStateException("one SUBSCRIBE at a time"));
                return;
              }
              pendingSubscribe = done;
              MqttMessageBuilders.SubscribeBuilder builder =
                  MqttMessageBuilders.subscribe().messageId(1);
              for (String filter : filters) {
                builder.addSubscription(MqttQoS.valueOf(qos), filter);
              }
              MqttMessage subscribe = builder.build();
              channel
                  .writeAndFlush(subscribe)
                  .addListener(
                      f -> {
                        if (!f.isSuccess()) {
                          failSubscribe(f.cause());
                        }
                      });
            });
    return done;
  }

  void ping() {
    Channel ch = channel;
    if (ch != null && ch.isActive() && !closing) {
      ch.writeAndFlush(MqttMessage.PINGREQ, ch.voidPromise());
    }
  }

  /** Sends DISCONNECT and closes; the returned future completes when the channel is closed. */
  CompletableFuture<Void> disconnect() {
    closing = true;
    Channel ch = channel;
    if (ch == null) {
      closed.complete(null);
    } else if (ch.isActive()) {
      ch.writeAndFlush(MqttMessage.DISCONNECT).addListener(ChannelFutureListener.CLOSE);
    } else {
      ch.close();
    }
    return closed;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    MqttMessage connect =
        MqttMessageBuilders.connect()
            .protocolVersion(version)
            .clientId(clientId)
            .cleanSession(true)
            .keepAlive(keepAliveSeconds)
            .build();
    ctx.writeAndFlush(connect)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                errors.record("CONNECT write failed: " + rootMessage(f.cause()));
                ctx.close();
              }
            });
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof PublishCodec.InboundPublish publish) {
      try {
        onPublish(ctx, publish);
      } finally {
        publish.payload().release();
      }
      return;
    }
    try {
      MqttMessage m = (MqttMessage) msg;
      if (m.decoderResult().isFailure()) {
        errors.record("undecodable packet: " + rootMessage(m.decoderResult().cause()));
        ctx.close();
        return;
      }
      switch (m.fixedHeader().messageType()) {
        case PUBACK -> {
          checkPubReply(m, "PUBACK");
          listener.onPublishAcknowledged(this);
        }
        case PUBREC -> {
          if (checkPubReply(m, "PUBREC")) {
            writeAck(ctx, PUBREL, packetId(m));
          } else {
            // [MQTT-4.3.3]: an error PUBREC ends the exchange; count the message as acknowledged
            // (and failed).
            listener.onPublishAcknowledged(this);
          }
        }
        case PUBCOMP -> {
          checkPubReply(m, "PUBCOMP");
          listener.onPublishAcknowledged(this);
        }
        case PUBREL -> writeAck(ctx, PUBCOMP, packetId(m));
        case CONNACK -> onConnAck(ctx, (MqttConnAckMessage) m);
        case SUBACK -> onSubAck((MqttSubAckMessage) m);
        case PINGRESP -> {}
        case DISCONNECT -> errors.record("server sent DISCONNECT" + reasonOf(m));
        default -> errors.record("unexpected " + m.fixedHeader().messageType());
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (flushPending) {
      flushPending = false;
      ctx.flush();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      listener.onWritable(this);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!closing) {
      errors.record(
          connected.isDone() ? "connection closed by server" : "connection closed before CONNACK");
    }
    IOException gone = new IOException("connection closed");
    connected.completeExceptionally(gone);
    failSubscribe(gone);
    closed.complete(null);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!closing) {
      errors.record("I/O error: " + rootMessage(cause));
    }
    ctx.close();
  }

  private void onPublish(ChannelHandlerContext ctx, PublishCodec.InboundPublish publish) {
    if (publish.qos() == 1) {
      writeAck(ctx, PUBACK, publish.packetId());
    } else if (publish.qos() == 2) {
      writeAck(ctx, PUBREC, publish.packetId());
    }
    listener.onPublish(this, publish.payload());
  }

  private void onConnAck(ChannelHandlerContext ctx, MqttConnAckMessage connAck) {
    MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
    if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
      connected.complete(this);
    } else {
      errors.record("CONNACK refused: " + code);
      connected.completeExceptionally(new IOException("CONNACK " + code));
      ctx.close();
    }
  }

  private void onSubAck(MqttSubAckMessage subAck) {
    CompletableFuture<Void> done = pendingSubscribe;
    pendingSubscribe = null;
    if (done == null) {
      errors.record("unexpected SUBACK");
      return;
    }
    for (int code : subAck.payload().reasonCodes()) {
      if (code >= 0x80) {
        errors.record("subscription refused: 0x" + Integer.toHexString(code));
        done.completeExceptionally(new IOException("SUBACK 0x" + Integer.toHexString(code)));
        return;
      }
    }
    done.complete(null);
  }

  private void failSubscribe(Throwable cause) {
    CompletableFuture<Void> done = pendingSubscribe;
    pendingSubscribe = null;
    if (done != null) {
      done.completeExceptionally(cause);
    }
  }

  private void writeAck(ChannelHandlerContext ctx, MqttFixedHeader header, int packetId) {
    ctx.write(
        new MqttMessage(header, MqttMessageIdVariableHeader.from(packetId)), ctx.voidPromise());
    flushPending = true;
  }

  /** True unless an MQTT 5 reason code says the server refused the message. */
  private boolean checkPubReply(MqttMessage m, String what) {
    if (m.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply
        && (reply.reasonCode() & 0xff) >= 0x80) {
      errors.record(what + " reason 0x" + Integer.toHexString(reply.reasonCode() & 0xff));
      return false;
    }
    return true;
  }

  private static int packetId(MqttMessage m) {
    return ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
  }

  private static String reasonOf(MqttMessage m) {
    if (m.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader v) {
      return " (reason 0x" + Integer.toHexString(v.reasonCode() & 0xff) + ")";
    }
    return "";
  }

  private static MqttFixedHeader header(MqttMessageType type, MqttQoS qos) {
    return new MqttFixedHeader(type, false, qos, false, 0);
  }

  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage();
    return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }
}
