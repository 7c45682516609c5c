package io.pylon.mqtt.broker;

import static io.pylon.mqtt.broker.InboundMessages.intProperty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.session.Delivery;
import io.pylon.mqtt.session.Session;
import io.pylon.mqtt.session.SessionConnection;
import io.pylon.mqtt.session.SessionRegistry;
import io.pylon.mqtt.spi.Action;
import io.pylon.mqtt.spi.AuthResult;
import io.pylon.mqtt.spi.ConnectRequest;
import io.pylon.mqtt.spi.ConnectedClient;
import io.pylon.mqtt.spi.Principal;
import io.pylon.mqtt.spi.PublishOrigin;
import io.pylon.mqtt.spi.TransportInfo;
import io.pylon.mqtt.topic.TopicRules;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: the MQTT state machine between the codec and the broker.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li>Threading: every method runs on the channel's event loop except {@link #scheduleDrain},
 *       {@link #isWritable} and {@link #sessionTakenOver}, which hop onto it. Authentication may
 *       complete elsewhere; its result is handed back to the loop, and reading is paused meanwhile.
 *   <li>States: awaiting CONNECT, authenticating, connected, closed. Any packet before CONNECT, a
 *       second CONNECT, or a malformed packet closes only this connection, with a DISCONNECT reason
 *       for MQTT 5 clients that completed CONNECT.
 *   <li>AWS behaviours come from the listener's {@link BrokerLimits}, never from {@code if (aws)}
 *       branches: the profile is data.
 *   <li>Nothing here blocks: storage is reached through the persistence executor, and routing only
 *       enqueues into subscriber sessions.
 *   <li>This class decides what happens and when; per-connection collaborators do the reading,
 *       bookkeeping and packet building: {@link ConnectNegotiation} reads CONNECT into {@link
 *       ConnectionTerms}, {@link InboundPublishChecks} vets each PUBLISH, {@link InboundMessages}
 *       maps it to an {@link ApplicationMessage}, {@link ConnectionSubscriptions} applies
 *       SUBSCRIBE/UNSUBSCRIBE filters, {@link PublishPacketBuilder} builds what the client
 *       receives, {@link ReplyPackets} builds the answers and {@link LastWill} outlives the
 *       connection.
 * </ul>
 */
final class MqttConnectionHandler extends ChannelInboundHandlerAdapter
    implements SessionConnection, Session.Writer {

  private static final Logger log = LoggerFactory.getLogger(MqttConnectionHandler.class);

  private static final long CONNECT_TIMEOUT_SECONDS = 10;
  private static final int MAX_PACKETS_WHILE_AUTHENTICATING = 32;

  /** The attribute netty-codec-mqtt keeps the negotiated protocol version in. */
  private static final AttributeKey<MqttVersion> CODEC_VERSION =
      AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

  private enum State {
    AWAIT_CONNECT,
    AUTHENTICATING,
    CONNECTED,
    CLOSED
  }

  private final BrokerCore core;
  private final ListenerSettings listener;
  private final BrokerLimits limits;
  private final TopicRules topicRules;

  private final ConnectionTerms terms = new ConnectionTerms();
  private final InboundMessages inbound;
  private final PublishPacketBuilder publishes;

  /** One task object per connection: a fan-out schedules a drain on every subscriber. */
  private final Runnable drainTask = this::drainIfConnected;

  private final ReplyPackets replies;
  private final ConnectionSubscriptions subscriptions;

  private ChannelHandlerContext ctx;
  private State state = State.AWAIT_CONNECT;

  /**
   * Set once this side decided to end the connection (DISCONNECT sent or received, close asked):
   * packets still in the read buffer and queued deliveries are ignored from then on [MQTT-4.13.1-1]
   * [MQTT-3.14.4-1].
   */
  private boolean closing;

  private String clientId;
  private Principal principal;
  private Session session;
  private ConnectedClient connectedClient;
  private TransportInfo transport;

  /** Who this connection's messages come from, built once at CONNECT. */
  private PublishOrigin origin;

  private InboundPublishChecks publishChecks;
  private TokenBucket publishRate;
  private boolean sendPermitRetryScheduled;

  /** Null without a will, and once a normal DISCONNECT discarded it. */
  private LastWill will;

  private String disconnectReason = "CONNECTION_LOST";
  private final ArrayDeque<Object> heldWhileAuthenticating = new ArrayDeque<>();

  MqttConnectionHandler(BrokerCore core, ListenerSettings listener, TopicRules topicRules) {
    this.core = core;
    this.listener = listener;
    this.limits = listener.limits();
    this.topicRules = topicRules;
    this.inbound = new InboundMessages(terms, limits, core.clock);
    this.publishes = new PublishPacketBuilder(terms, core.clock);
    this.replies = new ReplyPackets(terms, limits);
    this.subscriptions = new ConnectionSubscriptions(core, limits, topicRules, replies);
  }

  // ---------------------------------------------------------------- channel events

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive()) {
      // Added after the channel became active: behind TLS ALPN or a WebSocket upgrade.
      activate();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    activate();
    super.channelActive(ctx);
  }

  private boolean activated;

  private void activate() {
    if (activated) {
      return;
    }
    activated = true;
    if (!core.acceptConnection(listener)) {
      log.debug(
          "connection from {} refused: too many connections per second on listener {}",
          ctx.channel().remoteAddress(),
          listener.name());
      ctx.close();
      return;
    }
    ctx.pipeline()
        .addBefore(
            ctx.name(),
            "connect-timeout",
            new IdleStateHandler(CONNECT_TIMEOUT_SECONDS, 0, 0, TimeUnit.SECONDS));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.AUTHENTICATING) {
      if (heldWhileAuthenticating.size() >= MAX_PACKETS_WHILE_AUTHENTICATING) {
        ReferenceCountUtil.release(msg);
        protocolViolation(ReasonCodes.RECEIVE_MAXIMUM_EXCEEDED, "too many packets before CONNACK");
        return;
      }
      heldWhileAuthenticating.add(msg);
      return;
    }
    try {
      if (!(msg instanceof MqttMessage)) {
        return;
      }
      handle((MqttMessage) msg);
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void handle(MqttMessage message) {
    if (state == State.CLOSED || closing) {
      return;
    }
    if (message.decoderResult().isFailure()) {
      malformed(message);
      return;
    }
    MqttMessageType type = message.fixedHeader().messageType();
    if (state == State.AWAIT_CONNECT) {
      if (type != MqttMessageType.CONNECT) {
        // [MQTT-3.1.0-1] the first packet must be CONNECT.
        close("FIRST_PACKET_NOT_CONNECT");
        return;
      }
      onConnect((MqttConnectMessage) message);
      return;
    }
    switch (type) {
      case PUBLISH:
        onPublish((MqttPublishMessage) message);
        break;
      case PUBACK:
      case PUBCOMP:
        onAcknowledged(packetId(message));
        break;
      case PUBREC:
        onPubRec(message);
        break;
      case PUBREL:
        onPubRel(packetId(message));
        break;
      case SUBSCRIBE:
        onSubscribe((MqttSubscribeMessage) message);
        break;
      case UNSUBSCRIBE:
        onUnsubscribe((MqttUnsubscribeMessage) message);
        break;
      case PINGREQ:
        ctx.writeAndFlush(replies.pingResp());
        break;
      case DISCONNECT:
        onDisconnect(message);
        break;
      case CONNECT:
        // [MQTT-3.1.0-2] a second CONNECT is a protocol error.
        protocolViolation(ReasonCodes.PROTOCOL_ERROR, "second CONNECT");
        break;
      case AUTH:
        protocolViolation(
            ReasonCodes.BAD_AUTHENTICATION_METHOD, "enhanced authentication is not supported");
        break;
      default:
        // CONNACK, SUBACK, UNSUBACK, PINGRESP are server-to-client only.
        protocolViolation(ReasonCodes.PROTOCOL_ERROR, "unexpected " + type);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      if (state == State.CONNECTED) {
        log.debug("client {} exceeded its keep-alive; closing", clientId);
        disconnect(ReasonCodes.KEEP_ALIVE_TIMEOUT, "MQTT_KEEP_ALIVE_TIMEOUT");
      } else {
        close("CONNECT_TIMEOUT");
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (state == State.CONNECTED && !closing && ctx.channel().isWritable()) {
      session.drainTo(this, this, core.clock.millis());
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException
        && cause.getCause() instanceof javax.net.ssl.SSLException) {
      log.debug(
          "TLS failure from {}: {}", ctx.channel().remoteAddress(), cause.getCause().getMessage());
    } else {
      log.debug(
          "connection error for client {} from {}: {}",
          clientId,
          ctx.channel().remoteAddress(),
          cause.toString());
    }
    close("CONNECTION_ERROR");
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    State previous = state;
    state = State.CLOSED;
    for (Object held : heldWhileAuthenticating) {
      ReferenceCountUtil.release(held);
    }
    heldWhileAuthenticating.clear();
    if (previous == State.CONNECTED) {
      core.metrics.connections(listener.name()).decrementAndGet();
      // Detach first: the will then sees whether the session ended or was taken over.
      core.sessions.detach(session, this);
      if (will != null) {
        will.schedule(core, session, origin);
      }
      core.fireDisconnected(connectedClient, disconnectReason);
      log.debug("client {} disconnected: {}", clientId, disconnectReason);
    }
    super.channelInactive(ctx);
  }

  // ---------------------------------------------------------------- CONNECT

  private void onConnect(MqttConnectMessage message) {
    ConnectNegotiation connect = new ConnectNegotiation(limits, topicRules, terms, inbound);
    ConnectNegotiation.Refusal refusal = connect.read(message);
    clientId = connect.clientId();
    will = connect.will();
    if (refusal != null) {
      if (refusal.malformed()) {
        malformedConnect(refusal.reason());
      } else {
        refuseConnect(refusal.reasonCode(), refusal.reason());
      }
      return;
    }
    if (!core.connectAllowedFor(clientId, limits)) {
      refuseConnect(ReasonCodes.QUOTA_EXCEEDED, "connect rate for this client id exceeded");
      return;
    }

    transport = core.transportInfo(ctx.channel(), listener);
    ConnectRequest request =
        new ConnectRequest(
            clientId,
            message.payload().userName(),
            message.payload().passwordInBytes(),
            terms.protocolVersion,
            transport);
    state = State.AUTHENTICATING;
    ctx.channel().config().setAutoRead(false);
    core.authenticate(request)
        .whenComplete(
            (result, error) ->
                ctx.executor().execute(() -> onAuthenticated(result, error, connect)));
  }

  private void onAuthenticated(AuthResult result, Throwable error, ConnectNegotiation connect) {
    if (state != State.AUTHENTICATING) {
      return;
    }
    if (error != null) {
      log.warn("authentication of client {} failed with an error", clientId, error);
      refuseConnect(ReasonCodes.SERVER_UNAVAILABLE, "authentication unavailable");
      return;
    }
    if (!result.allowed()) {
      log.info(
          "client {} from {} refused: {}",
          clientId,
          ctx.channel().remoteAddress(),
          result.reason());
      refuseConnect(result.reasonCode(), result.reason());
      return;
    }
    principal = result.principal();
    origin = PublishOrigin.client(clientId, principal, ctx.channel().remoteAddress());
    if (!core.authorizer.isAllowed(principal, clientId, Action.CONNECT, clientId)) {
      log.info("client {} ({}) not authorized to connect", clientId, principal.name());
      refuseConnect(ReasonCodes.NOT_AUTHORIZED, "not authorized");
      return;
    }
    core.sessions
        .attach(
            clientId,
            connect.cleanStart(),
            connect.grantedExpiry(),
            limits.maxQueuedMessages(),
            this)
        .whenComplete(
            (attached, attachError) ->
                ctx.executor().execute(() -> onSessionAttached(attached, attachError, connect)));
  }

  private void onSessionAttached(
      SessionRegistry.Attached attached, Throwable error, ConnectNegotiation connect) {
    if (error != null) {
      log.error("could not attach session of client {}", clientId, error);
      refuseConnect(ReasonCodes.SERVER_UNAVAILABLE, "session unavailable");
      return;
    }
    if (state != State.AUTHENTICATING || !ctx.channel().isActive()) {
      // The connection ended while the session was being attached: give it back.
      state = State.CLOSED;
      core.sessions.detach(attached.session(), this);
      return;
    }
    completeConnect(attached, connect);
  }

  private void completeConnect(SessionRegistry.Attached attached, ConnectNegotiation connect) {
    session = attached.session();
    state = State.CONNECTED;
    if (limits.maxPublishesPerSecond() > 0) {
      publishRate = new TokenBucket(limits.maxPublishesPerSecond(), System.nanoTime());
    }
    publishChecks = new InboundPublishChecks(terms, limits, topicRules);
    ctx.writeAndFlush(replies.connAck(attached.sessionPresent(), connect));

    if (ctx.pipeline().get("connect-timeout") != null) {
      ctx.pipeline().remove("connect-timeout");
    }
    int keepAlive = connect.keepAlive();
    if (keepAlive > 0) {
      // [MQTT-3.1.2-24] one and a half times the keep-alive without a packet closes the connection.
      ctx.pipeline()
          .addBefore(
              ctx.name(),
              "keep-alive",
              new IdleStateHandler(keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
    }
    core.metrics.connections(listener.name()).incrementAndGet();
    connectedClient =
        new ConnectedClient(
            clientId,
            principal,
            transport,
            terms.protocolVersion,
            core.clock.millis(),
            core.nextConnectionId());
    subscriptions.bind(session, principal, connectedClient);
    log.debug(
        "client {} ({}) connected on {} with MQTT {}; session present: {}",
        clientId,
        principal.name(),
        listener.name(),
        terms.protocolVersion,
        attached.sessionPresent());
    core.fireConnected(connectedClient, attached.sessionPresent());

    session.resume(this, this, core.clock.millis());
    ctx.channel().config().setAutoRead(true);
    while (!heldWhileAuthenticating.isEmpty() && state == State.CONNECTED) {
      Object held = heldWhileAuthenticating.poll();
      try {
        if (held instanceof MqttMessage) {
          handle((MqttMessage) held);
        }
      } finally {
        ReferenceCountUtil.release(held);
      }
    }
  }

  /**
   * A malformed CONNECT: MQTT 5 gets CONNACK 0x81, MQTT 3.1.1 a closed connection [MQTT-4.8.0-1].
   */
  private void malformedConnect(String reason) {
    core.metrics.protocolErrors.increment();
    if (terms.mqtt5()) {
      refuseConnect(ReasonCodes.MALFORMED_PACKET, reason);
    } else {
      log.debug("malformed CONNECT from {}: {}", ctx.channel().remoteAddress(), reason);
      state = State.CLOSED;
      close("MALFORMED_PACKET");
    }
  }

  private void refuseConnect(int reasonCode, String reason) {
    core.metrics.connectsRefused.increment();
    MqttMessage connAck = replies.connAckRefused(reasonCode, reason);
    state = State.CLOSED;
    ctx.channel().config().setAutoRead(true);
    ctx.writeAndFlush(connAck).addListener(ChannelFutureListener.CLOSE);
  }

  // ---------------------------------------------------------------- PUBLISH (inbound)

  private void onPublish(MqttPublishMessage publish) {
    MqttFixedHeader fixed = publish.fixedHeader();
    int qos = fixed.qosLevel().value();
    int packetId = publish.variableHeader().packetId();
    if (!publishChecks.check(publish)) {
      if (publishChecks.isProtocolViolation()) {
        protocolViolation(publishChecks.reasonCode(), publishChecks.reason());
      } else {
        refusePublish(qos, packetId, publishChecks.reasonCode(), publishChecks.reason());
      }
      return;
    }
    String topic = publishChecks.topic();
    if (publishRate != null && !publishRate.tryTake(System.nanoTime())) {
      core.metrics.drops.rateLimited.increment();
      if (qos == 1 && terms.mqtt5()) {
        writePubAck(packetId, ReasonCodes.QUOTA_EXCEEDED, "publish rate per connection exceeded");
      }
      // MQTT 3.1.1 cannot refuse a publish: AWS discards it without PUBACK.
      return;
    }
    boolean retain = fixed.isRetain();
    if (!core.authorizer.isAllowed(principal, clientId, Action.PUBLISH, topic)
        || (retain
            && !core.authorizer.isAllowed(principal, clientId, Action.RETAIN_PUBLISH, topic))) {
      log.info("client {} ({}) not authorized to publish to {}", clientId, principal.name(), topic);
      refusePublish(qos, packetId, ReasonCodes.NOT_AUTHORIZED, "not authorized");
      return;
    }
    if (qos == 2) {
      if (!session.beginInboundQos2(packetId)) {
        // A resent PUBLISH for a packet id awaiting PUBREL: already routed once [MQTT-4.3.3-9].
        writePubRec(packetId, ReasonCodes.SUCCESS, null);
        return;
      }
      if (session.inboundQos2Count() > limits.receiveMaximum()) {
        protocolViolation(ReasonCodes.RECEIVE_MAXIMUM_EXCEEDED, "receive maximum exceeded");
        return;
      }
    }
    ByteBuf content = publish.content();
    byte[] payload = new byte[content.readableBytes()];
    content.getBytes(content.readerIndex(), payload);
    ApplicationMessage message =
        inbound.toMessage(
            topic, payload, qos, retain, publish.variableHeader().properties(), clientId);
    core.metrics.messagesIn[qos].increment();
    core.metrics.payloadBytesIn[qos].add(payload.length);
    core.accept(message, origin);
    if (qos == 1) {
      writePubAck(packetId, ReasonCodes.SUCCESS, null);
    } else if (qos == 2) {
      writePubRec(packetId, ReasonCodes.SUCCESS, null);
    }
  }

  private void refusePublish(int qos, int packetId, int reasonCode, String reason) {
    if (terms.mqtt5() && qos == 1) {
      writePubAck(packetId, reasonCode, reason);
    } else if (terms.mqtt5() && qos == 2) {
      writePubRec(packetId, reasonCode, reason);
    } else {
      // MQTT 3.1.1 has no way to refuse a publish; AWS IoT disconnects the client.
      disconnect(reasonCode, reason);
    }
  }

  private void onPubRel(int packetId) {
    boolean known = session.completeInboundQos2(packetId);
    // [MQTT-4.3.3-11] answer PUBCOMP even for an unknown id: 0x92 (packet identifier not found) in
    // MQTT 5, plain PUBCOMP in 3.1.1.
    writeReply(
        MqttMessageType.PUBCOMP,
        packetId,
        known ? ReasonCodes.SUCCESS : ReasonCodes.PACKET_ID_NOT_FOUND,
        null);
    ctx.flush();
  }

  // ---------------------------------------------------------------- PUBLISH (outbound acks)

  /** PUBACK or PUBCOMP: the message left the in-flight window. */
  private void onAcknowledged(int packetId) {
    if (session.acknowledge(packetId)) {
      session.drainTo(this, this, core.clock.millis());
    }
  }

  private void onPubRec(MqttMessage message) {
    int packetId = packetId(message);
    Object vh = message.variableHeader();
    int reason =
        vh instanceof MqttPubReplyMessageVariableHeader
            ? ((MqttPubReplyMessageVariableHeader) vh).reasonCode() & 0xFF
            : 0;
    if (reason >= 0x80) {
      session.refused(packetId);
      session.drainTo(this, this, core.clock.millis());
      return;
    }
    boolean known = session.received(packetId);
    // MQTT 5 3.6.2.1: PUBREL 0x92 for a packet identifier that is not in flight.
    writeReply(
        MqttMessageType.PUBREL,
        packetId,
        known ? ReasonCodes.SUCCESS : ReasonCodes.PACKET_ID_NOT_FOUND,
        null);
    ctx.flush();
  }

  // ---------------------------------------------------------------- SUBSCRIBE / UNSUBSCRIBE

  private void onSubscribe(MqttSubscribeMessage subscribe) {
    int packetId = subscribe.idAndPropertiesVariableHeader().messageId();
    MqttProperties props = subscribe.idAndPropertiesVariableHeader().properties();
    boolean hasSubscriptionId =
        props != null && props.getProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER) != null;
    int subscriptionId = intProperty(props, MqttProperties.SUBSCRIPTION_IDENTIFIER, 0);
    if (hasSubscriptionId && subscriptionId == 0) {
      // MQTT 5 3.8.2.1.2: a Subscription Identifier of 0 is a protocol error.
      protocolViolation(ReasonCodes.PROTOCOL_ERROR, "subscription identifier 0");
      return;
    }
    if (subscriptionId != 0 && !limits.subscriptionIdentifiers()) {
      protocolViolation(
          ReasonCodes.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
          "subscription identifiers are not supported");
      return;
    }
    List<MqttTopicSubscription> requests = subscribe.payload().topicSubscriptions();
    if (requests.isEmpty()) {
      // [MQTT-3.8.3-3] a SUBSCRIBE without topic filters is a protocol violation.
      protocolViolation(ReasonCodes.PROTOCOL_ERROR, "SUBSCRIBE without topic filters");
      return;
    }
    List<Runnable> afterAck = new ArrayList<>();
    int[] codes = subscriptions.subscribe(requests, subscriptionId, afterAck);
    if (codes == null) {
      // [MQTT-3.8.3-4] no-local on a shared subscription is a protocol error.
      protocolViolation(ReasonCodes.PROTOCOL_ERROR, "no-local on a shared subscription");
      return;
    }
    ctx.write(replies.subAck(packetId, codes));
    ctx.flush();
    for (Runnable r : afterAck) {
      r.run();
    }
  }

  private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
    int packetId = unsubscribe.idAndPropertiesVariableHeader().messageId();
    List<String> filters = unsubscribe.payload().topics();
    if (filters.isEmpty()) {
      // [MQTT-3.10.3-2] an UNSUBSCRIBE without topic filters is a protocol violation.
      protocolViolation(ReasonCodes.PROTOCOL_ERROR, "UNSUBSCRIBE without topic filters");
      return;
    }
    ctx.writeAndFlush(replies.unsubAck(packetId, subscriptions.unsubscribe(filters)));
  }

  // ---------------------------------------------------------------- DISCONNECT

  private void onDisconnect(MqttMessage message) {
    int reason = 0;
    Object vh = message.variableHeader();
    if (vh instanceof MqttReasonCodeAndPropertiesVariableHeader) {
      MqttReasonCodeAndPropertiesVariableHeader header =
          (MqttReasonCodeAndPropertiesVariableHeader) vh;
      reason = header.reasonCode() & 0xFF;
      MqttProperties.MqttProperty<?> expiry =
          header.properties().getProperty(MqttProperties.SESSION_EXPIRY_INTERVAL);
      if (expiry != null) {
        long requested = ((Integer) expiry.value()) & 0xFFFFFFFFL;
        if (session.expiryIntervalSeconds() == 0 && requested != 0) {
          // [MQTT-3.14.2-2] a session that was not persistent cannot become so at DISCONNECT.
          protocolViolation(ReasonCodes.PROTOCOL_ERROR, "session expiry set at DISCONNECT");
          return;
        }
        session.expiryIntervalSeconds(Math.min(requested, limits.maxSessionExpirySeconds()));
      }
    }
    if (reason != ReasonCodes.DISCONNECT_WITH_WILL) {
      // [MQTT-3.14.4-3] a normal DISCONNECT discards the will; reason 0x04 keeps it.
      will = null;
    }
    disconnectReason = "CLIENT_INITIATED_DISCONNECT";
    closing = true;
    ctx.close();
  }

  // ---------------------------------------------------------------- closing

  /** A packet this connection should not have sent: tell an MQTT 5 client why, then close. */
  private void protocolViolation(int reasonCode, String reason) {
    core.metrics.protocolErrors.increment();
    log.debug("client {} from {}: {}; closing", clientId, ctx.channel().remoteAddress(), reason);
    disconnect(reasonCode, reason);
  }

  private void malformed(MqttMessage message) {
    Throwable cause = message.decoderResult().cause();
    core.metrics.protocolErrors.increment();
    if (state == State.AWAIT_CONNECT) {
      // The codec records the version as soon as it has read it, so a CONNACK refusing a CONNECT
      // whose payload was bad is framed for the client's version.
      MqttVersion version = ctx.channel().attr(CODEC_VERSION).get();
      if (version != null) {
        terms.protocolVersion = version.protocolLevel();
      }
      if (cause instanceof MqttUnacceptableProtocolVersionException) {
        refuseConnect(ReasonCodes.UNSUPPORTED_PROTOCOL_VERSION, "unsupported protocol version");
      } else if (cause instanceof MqttIdentifierRejectedException) {
        refuseConnect(ReasonCodes.CLIENT_ID_NOT_VALID, "client id not valid");
      } else if (cause instanceof TooLongFrameException && terms.mqtt5()) {
        refuseConnect(ReasonCodes.PACKET_TOO_LARGE, "packet too large");
      } else {
        log.debug(
            "malformed first packet from {}: {}",
            ctx.channel().remoteAddress(),
            cause.getMessage());
        close("MALFORMED_PACKET");
      }
      return;
    }
    log.debug("malformed packet from client {}: {}", clientId, cause.getMessage());
    disconnect(
        cause instanceof TooLongFrameException
            ? ReasonCodes.PACKET_TOO_LARGE
            : ReasonCodes.MALFORMED_PACKET,
        cause.getMessage());
  }

  /** Sends DISCONNECT with a reason (MQTT 5 after CONNECT only), then closes. */
  private void disconnect(int reasonCode, String reason) {
    if (state == State.CLOSED || closing) {
      return;
    }
    closing = true;
    boolean connected = state == State.CONNECTED;
    disconnectReason = ReasonCodes.disconnectReasonName(reasonCode);
    if (connected && terms.mqtt5()) {
      ctx.writeAndFlush(replies.disconnect(reasonCode, reason))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
    if (!connected) {
      state = State.CLOSED;
    }
  }

  private void close(String reason) {
    closing = true;
    disconnectReason = reason;
    ctx.close();
  }

  /** Called by the broker when the principal of some connections lost its right to connect. */
  void disconnectIf(java.util.function.Predicate<Principal> matches) {
    ctx.executor()
        .execute(
            () -> {
              if (principal != null && state != State.CLOSED && matches.test(principal)) {
                log.info(
                    "client {} ({}) disconnected: no longer authorized",
                    clientId,
                    principal.name());
                disconnect(ReasonCodes.NOT_AUTHORIZED, "not authorized");
              }
            });
  }

  /** Called by the broker at shutdown. */
  void shutdown() {
    ctx.executor()
        .execute(
            () -> {
              disconnect(ReasonCodes.SERVER_SHUTTING_DOWN, "server shutting down");
              disconnectReason = "SERVER_INITIATED_DISCONNECT";
            });
  }

  // ---------------------------------------------------------------- SessionConnection

  @Override
  public void scheduleDrain() {
    ctx.executor().execute(drainTask);
  }

  private void drainIfConnected() {
    if (state == State.CONNECTED && !closing) {
      session.drainTo(this, this, core.clock.millis());
    }
  }

  @Override
  public boolean isWritable() {
    return ctx.channel().isWritable();
  }

  @Override
  public void sessionTakenOver() {
    ctx.executor()
        .execute(
            () -> {
              log.info(
                  "client {} taken over by a new connection with the same client id", clientId);
              disconnect(ReasonCodes.SESSION_TAKEN_OVER, "session taken over");
            });
  }

  // ---------------------------------------------------------------- Session.Writer

  @Override
  public int sendQuota() {
    return terms.sendQuota;
  }

  @Override
  public boolean writePublish(Delivery delivery, int packetId, boolean dup) {
    ApplicationMessage m = delivery.message();
    if (!core.authorizer.isAllowed(principal, clientId, Action.RECEIVE, m.topic())) {
      core.metrics.drops.notAuthorized.increment();
      return false;
    }
    ByteBuf publish = publishes.build(ctx.alloc(), delivery, packetId, dup);
    if (publish == null) {
      core.metrics.drops.tooLargeForClient.increment();
      return false;
    }
    ctx.write(publish, ctx.voidPromise());
    int qos = delivery.qos();
    core.metrics.messagesOut[qos].increment();
    core.metrics.payloadBytesOut[qos].add(m.payload().length);
    return true;
  }

  @Override
  public boolean tryAcquireSendPermit() {
    if (publishRate == null) {
      return true;
    }
    long now = System.nanoTime();
    if (publishRate.tryTake(now)) {
      return true;
    }
    if (!sendPermitRetryScheduled) {
      sendPermitRetryScheduled = true;
      ctx.executor()
          .schedule(
              () -> {
                sendPermitRetryScheduled = false;
                if (state == State.CONNECTED && !closing) {
                  session.drainTo(this, this, core.clock.millis());
                }
              },
              Math.max(1, publishRate.nanosUntilToken(now)),
              TimeUnit.NANOSECONDS);
    }
    return false;
  }

  @Override
  public long redeliveryWindowMillis() {
    return limits.redeliveryWindowSeconds() * 1000;
  }

  @Override
  public void writePubRel(int packetId) {
    writeReply(MqttMessageType.PUBREL, packetId, ReasonCodes.SUCCESS, null);
  }

  @Override
  public void flush() {
    ctx.flush();
  }

  // ---------------------------------------------------------------- helpers

  private void writePubAck(int packetId, int reasonCode, String reason) {
    writeReply(MqttMessageType.PUBACK, packetId, reasonCode, reason);
    ctx.flush();
  }

  private void writePubRec(int packetId, int reasonCode, String reason) {
    writeReply(MqttMessageType.PUBREC, packetId, reasonCode, reason);
    ctx.flush();
  }

  /** PUBACK, PUBREC, PUBREL or PUBCOMP, not flushed: the caller knows whether more follow. */
  private void writeReply(MqttMessageType type, int packetId, int reasonCode, String reason) {
    ctx.write(replies.pubReply(type, packetId, reasonCode, reason), ctx.voidPromise());
  }

  private static int packetId(MqttMessage message) {
    return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
  }

  Channel channel() {
    return ctx.channel();
  }
}
