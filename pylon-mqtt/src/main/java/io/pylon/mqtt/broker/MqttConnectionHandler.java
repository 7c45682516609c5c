package io.pylon.mqtt.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import io.pylon.mqtt.message.UserProperty;
import io.pylon.mqtt.session.Delivery;
import io.pylon.mqtt.session.Session;
import io.pylon.mqtt.session.SessionConnection;
import io.pylon.mqtt.session.SessionRegistry;
import io.pylon.mqtt.spi.Action;
import io.pylon.mqtt.spi.ConnectRequest;
import io.pylon.mqtt.spi.ConnectedClient;
import io.pylon.mqtt.spi.Principal;
import io.pylon.mqtt.spi.TransportInfo;
import io.pylon.mqtt.topic.SubscriptionOptions;
import io.pylon.mqtt.topic.TopicFilter;
import io.pylon.mqtt.topic.TopicRules;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

  private ChannelHandlerContext ctx;
  private State state = State.AWAIT_CONNECT;

  /**
   * Set once this side decided to end the connection (DISCONNECT sent or received, close asked):
   * packets still in the read buffer and queued deliveries are ignored from then on [MQTT-4.13.1-1]
   * [MQTT-3.14.4-1].
   */
  private boolean closing;

  private int protocolVersion = 4;
  private String clientId;
  private Principal principal;
  private Session session;
  private ConnectedClient connectedClient;
  private TransportInfo transport;

  private int sendQuota;
  private int clientMaxPacketSize = Integer.MAX_VALUE;
  private int clientTopicAliasMaximum;
  private boolean requestProblemInformation = true;
  private String[] inboundAliases;
  private Map<String, Integer> outboundAliases;
  private TokenBucket publishRate;

  private ApplicationMessage will;
  private long willDelaySeconds;
  private boolean willSuppressed;
  private String disconnectReason = "CONNECTION_LOST";
  private final ArrayDeque<Object> heldWhileAuthenticating = new ArrayDeque<>();

  MqttConnectionHandler(BrokerCore core, ListenerSettings listener, TopicRules topicRules) {
    this.core = core;
    this.listener = listener;
    this.limits = listener.limits();
    this.topicRules = topicRules;
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
        onPubAck(packetId(message));
        break;
      case PUBREC:
        onPubRec(message);
        break;
      case PUBREL:
        onPubRel(packetId(message));
        break;
      case PUBCOMP:
        onPubComp(packetId(message));
        break;
      case SUBSCRIBE:
        onSubscribe((MqttSubscribeMessage) message);
        break;
      case UNSUBSCRIBE:
        onUnsubscribe((MqttUnsubscribeMessage) message);
        break;
      case PINGREQ:
        ctx.writeAndFlush(
            new MqttMessage(
                new MqttFixedHeader(
                    MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0)));
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
      if (will != null && !willSuppressed) {
        publishWill();
      }
      core.fireDisconnected(connectedClient, disconnectReason);
      log.debug("client {} disconnected: {}", clientId, disconnectReason);
    }
    super.channelInactive(ctx);
  }

  // ---------------------------------------------------------------- CONNECT

  private void onConnect(MqttConnectMessage connect) {
    MqttConnectVariableHeader header = connect.variableHeader();
    MqttConnectPayload payload = connect.payload();
    protocolVersion = header.version();
    MqttProperties props = header.properties();
    // Read first: it decides whether the refusals below carry a reason string.
    requestProblemInformation =
        intProperty(props, MqttProperties.REQUEST_PROBLEM_INFORMATION, 1) != 0;

    if (!header.isWillFlag() && (header.willQos() != 0 || header.isWillRetain())) {
      // [MQTT-3.1.2-13] [MQTT-3.1.2-15] without a will, will QoS and will retain must be 0.
      malformedConnect("will QoS or will retain set without will flag");
      return;
    }
    if (header.isWillFlag() && header.willQos() > 2) {
      // [MQTT-3.1.2-14] will QoS 3 is malformed.
      malformedConnect("will QoS 3");
      return;
    }
    if (props.getProperty(MqttProperties.AUTHENTICATION_METHOD) != null) {
      refuseConnect(
          ReasonCodes.BAD_AUTHENTICATION_METHOD, "enhanced authentication is not supported");
      return;
    }
    boolean cleanStart = header.isCleanSession();
    String requestedId = payload.clientIdentifier() == null ? "" : payload.clientIdentifier();
    boolean assigned = false;
    if (requestedId.isEmpty()) {
      if (protocolVersion < 5 && !cleanStart) {
        // [MQTT-3.1.3-8] a zero-length client id requires clean session in 3.1.1.
        refuseConnect(ReasonCodes.CLIENT_ID_NOT_VALID, "empty client id requires clean session");
        return;
      }
      requestedId = "pylon-" + UUID.randomUUID();
      assigned = true;
    }
    if (TopicRules.utf8Length(requestedId) > limits.maxClientIdLength()
        || (!limits.allowOtherDollarTopics() && requestedId.startsWith("$"))
        || requestedId.indexOf('\uFFFD') >= 0
        || requestedId.indexOf('\u0000') >= 0) {
      refuseConnect(ReasonCodes.CLIENT_ID_NOT_VALID, "client id not valid");
      return;
    }
    clientId = requestedId;

    if (header.isWillFlag()) {
      if (header.willQos() > limits.maxQos()) {
        refuseConnect(
            ReasonCodes.QOS_NOT_SUPPORTED, "will QoS " + header.willQos() + " not supported");
        return;
      }
      if (topicRules.checkTopicName(payload.willTopic()) != TopicRules.Verdict.OK) {
        refuseConnect(ReasonCodes.TOPIC_NAME_INVALID, "will topic not valid");
        return;
      }
      MqttProperties willProps = payload.willProperties();
      if (protocolVersion == 5
          && intProperty(willProps, MqttProperties.PAYLOAD_FORMAT_INDICATOR, 0) == 1
          && !isValidUtf8(ByteBuffer.wrap(payload.willMessageInBytes()))) {
        // MQTT 5 3.1.3.2.3: a will declared UTF-8 that is not: CONNACK 0x99.
        refuseConnect(ReasonCodes.PAYLOAD_FORMAT_INVALID, "will payload is not valid UTF-8");
        return;
      }
      willDelaySeconds =
          intProperty(willProps, MqttProperties.WILL_DELAY_INTERVAL, 0) & 0xFFFFFFFFL;
      will =
          toApplicationMessage(
              payload.willTopic(),
              payload.willMessageInBytes(),
              header.willQos(),
              header.isWillRetain(),
              willProps);
    }

    long requestedExpiry;
    if (protocolVersion == 5) {
      requestedExpiry = intProperty(props, MqttProperties.SESSION_EXPIRY_INTERVAL, 0) & 0xFFFFFFFFL;
    } else {
      requestedExpiry = cleanStart ? 0 : limits.maxSessionExpirySeconds();
    }
    long grantedExpiry = Math.min(requestedExpiry, limits.maxSessionExpirySeconds());

    int clientReceiveMaximum = intProperty(props, MqttProperties.RECEIVE_MAXIMUM, 65_535);
    if (clientReceiveMaximum == 0) {
      refuseConnect(ReasonCodes.PROTOCOL_ERROR, "receive maximum 0");
      return;
    }
    sendQuota = Math.min(clientReceiveMaximum, limits.maxInflightOutbound());
    int maxPacket = intProperty(props, MqttProperties.MAXIMUM_PACKET_SIZE, -1);
    if (maxPacket == 0) {
      // MQTT 5 3.1.2.11.4: a Maximum Packet Size of 0 is a protocol error.
      refuseConnect(ReasonCodes.PROTOCOL_ERROR, "maximum packet size 0");
      return;
    }
    // Absent, or above 2^31 - 1 (read as negative): no limit this broker could reach.
    clientMaxPacketSize = maxPacket < 0 ? Integer.MAX_VALUE : maxPacket;
    clientTopicAliasMaximum =
        Math.min(
            intProperty(props, MqttProperties.TOPIC_ALIAS_MAXIMUM, 0), limits.topicAliasMaximum());

    int keepAlive = grantedKeepAlive(header.keepAliveTimeSeconds());

    if (!core.connectAllowedFor(clientId, limits)) {
      refuseConnect(ReasonCodes.QUOTA_EXCEEDED, "connect rate for this client id exceeded");
      return;
    }

    transport = core.transportInfo(ctx.channel(), listener);
    ConnectRequest request =
        new ConnectRequest(
            clientId, payload.userName(), payload.passwordInBytes(), protocolVersion, transport);
    state = State.AUTHENTICATING;
    ctx.channel().config().setAutoRead(false);
    final boolean clientIdAssigned = assigned;
    final long expiry = grantedExpiry;
    final long requested = requestedExpiry;
    core.authenticate(request)
        .whenComplete(
            (result, error) ->
                ctx.executor()
                    .execute(
                        () -> {
                          if (state != State.AUTHENTICATING) {
                            return;
                          }
                          if (error != null) {
                            log.warn(
                                "authentication of client {} failed with an error",
                                clientId,
                                error);
                            refuseConnect(
                                ReasonCodes.SERVER_UNAVAILABLE, "authentication unavailable");
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
                          if (!core.authorizer.isAllowed(
                              principal, clientId, Action.CONNECT, clientId)) {
                            log.info(
                                "client {} ({}) not authorized to connect",
                                clientId,
                                principal.name());
                            refuseConnect(ReasonCodes.NOT_AUTHORIZED, "not authorized");
                            return;
                          }
                          attachSession(cleanStart, expiry, requested, keepAlive, clientIdAssigned);
                        }));
  }

  private void attachSession(
      boolean cleanStart, long expiry, long requestedExpiry, int keepAlive, boolean assigned) {
    core.sessions
        .attach(clientId, cleanStart, expiry, limits.maxQueuedMessages(), this)
        .whenComplete(
            (attached, error) ->
                ctx.executor()
                    .execute(
                        () -> {
                          if (error != null) {
                            log.error("could not attach session of client {}", clientId, error);
                            refuseConnect(ReasonCodes.SERVER_UNAVAILABLE, "session unavailable");
                            return;
                          }
                          if (state != State.AUTHENTICATING || !ctx.channel().isActive()) {
                            // The connection ended while the session was being attached: give it
                            // back.
                            state = State.CLOSED;
                            core.sessions.detach(attached.session(), this);
                            return;
                          }
                          completeConnect(attached, expiry, requestedExpiry, keepAlive, assigned);
                        }));
  }

  private void completeConnect(
      SessionRegistry.Attached attached,
      long expiry,
      long requestedExpiry,
      int keepAlive,
      boolean assigned) {
    session = attached.session();
    state = State.CONNECTED;
    if (limits.maxPublishesPerSecond() > 0) {
      publishRate = new TokenBucket(limits.maxPublishesPerSecond(), System.nanoTime());
    }
    inboundAliases = new String[limits.topicAliasMaximum() + 1];

    MqttProperties props = MqttProperties.NO_PROPERTIES;
    if (protocolVersion == 5) {
      props = new MqttProperties();
      if (expiry != requestedExpiry) {
        props.add(
            new MqttProperties.IntegerProperty(
                MqttProperties.SESSION_EXPIRY_INTERVAL, (int) expiry));
      }
      props.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.RECEIVE_MAXIMUM, limits.receiveMaximum()));
      if (limits.maxQos() < 2) {
        props.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_QOS, limits.maxQos()));
      }
      props.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.MAXIMUM_PACKET_SIZE, limits.maxPacketSize()));
      if (assigned) {
        props.add(
            new MqttProperties.StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, clientId));
      }
      props.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.TOPIC_ALIAS_MAXIMUM, limits.topicAliasMaximum()));
      if (!limits.subscriptionIdentifiers()) {
        props.add(
            new MqttProperties.IntegerProperty(
                MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0));
      }
      if (keepAlive != requestedKeepAlive) {
        props.add(new MqttProperties.IntegerProperty(MqttProperties.SERVER_KEEP_ALIVE, keepAlive));
      }
    }
    ctx.writeAndFlush(
        new MqttConnAckMessage(
            new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
            new MqttConnAckVariableHeader(
                MqttConnectReturnCode.CONNECTION_ACCEPTED, attached.sessionPresent(), props)));

    if (ctx.pipeline().get("connect-timeout") != null) {
      ctx.pipeline().remove("connect-timeout");
    }
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
            protocolVersion,
            core.clock.millis(),
            core.nextConnectionId());
    log.debug(
        "client {} ({}) connected on {} with MQTT {}; session present: {}",
        clientId,
        principal.name(),
        listener.name(),
        protocolVersion,
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

  private int requestedKeepAlive;

  private int grantedKeepAlive(int requested) {
    requestedKeepAlive = requested;
    int granted = requested;
    if (limits.keepAliveMax() > 0 && (granted == 0 || granted > limits.keepAliveMax())) {
      granted = limits.keepAliveMax();
    }
    if (limits.keepAliveMin() > 0 && granted < limits.keepAliveMin()) {
      granted = limits.keepAliveMin();
    }
    return granted;
  }

  /**
   * A malformed CONNECT: MQTT 5 gets CONNACK 0x81, MQTT 3.1.1 a closed connection [MQTT-4.8.0-1].
   */
  private void malformedConnect(String reason) {
    core.metrics.protocolErrors.increment();
    if (protocolVersion == 5) {
      refuseConnect(ReasonCodes.MALFORMED_PACKET, reason);
    } else {
      log.debug("malformed CONNECT from {}: {}", ctx.channel().remoteAddress(), reason);
      state = State.CLOSED;
      close("MALFORMED_PACKET");
    }
  }

  private void refuseConnect(int reasonCode, String reason) {
    core.metrics.connectsRefused.increment();
    int code = protocolVersion == 5 ? reasonCode : ReasonCodes.v3ConnAck(reasonCode);
    MqttProperties props = MqttProperties.NO_PROPERTIES;
    if (protocolVersion == 5 && reason != null && requestProblemInformation) {
      props = new MqttProperties();
      props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reason));
    }
    state = State.CLOSED;
    ctx.channel().config().setAutoRead(true);
    ctx.writeAndFlush(
            new MqttConnAckMessage(
                new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttConnAckVariableHeader(
                    MqttConnectReturnCode.valueOf((byte) code), false, props)))
        .addListener(ChannelFutureListener.CLOSE);
  }

  // ---------------------------------------------------------------- PUBLISH (inbound)

  private void onPublish(MqttPublishMessage publish) {
    MqttFixedHeader fixed = publish.fixedHeader();
    MqttPublishVariableHeader header = publish.variableHeader();
    int qos = fixed.qosLevel().value();
    int packetId = header.packetId();
    MqttProperties props = header.properties();

    if (qos > limits.maxQos()) {
      protocolViolation(ReasonCodes.QOS_NOT_SUPPORTED, "QoS " + qos + " not supported");
      return;
    }
    String topic = header.topicName();
    if (protocolVersion == 5) {
      if (props.getProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER) != null) {
        // [MQTT-3.3.4-6] a PUBLISH from a client must not carry a subscription identifier.
        protocolViolation(ReasonCodes.PROTOCOL_ERROR, "subscription identifier in PUBLISH");
        return;
      }
      int alias = intProperty(props, MqttProperties.TOPIC_ALIAS, 0);
      if (alias != 0 || props.getProperty(MqttProperties.TOPIC_ALIAS) != null) {
        if (alias <= 0 || alias > limits.topicAliasMaximum()) {
          protocolViolation(ReasonCodes.TOPIC_ALIAS_INVALID, "topic alias " + alias + " not valid");
          return;
        }
        if (topic.isEmpty()) {
          topic = inboundAliases[alias];
          if (topic == null) {
            protocolViolation(ReasonCodes.PROTOCOL_ERROR, "unknown topic alias " + alias);
            return;
          }
        } else {
          inboundAliases[alias] = topic;
        }
      } else if (topic.isEmpty()) {
        // MQTT 5 3.3.2.1: a zero-length topic name needs a topic alias.
        protocolViolation(ReasonCodes.PROTOCOL_ERROR, "empty topic name without topic alias");
        return;
      }
    }
    TopicRules.Verdict verdict = topicRules.checkTopicName(topic);
    if (verdict == TopicRules.Verdict.MALFORMED) {
      // Empty, U+0000, or wildcards: not a valid topic name at all [MQTT-4.7.3-1..2]
      // [MQTT-3.3.2-2]; a malformed packet, so the connection ends (MQTT 5: DISCONNECT 0x81).
      protocolViolation(ReasonCodes.MALFORMED_PACKET, "topic name malformed");
      return;
    }
    if (verdict != TopicRules.Verdict.OK) {
      // Valid MQTT but refused by this listener (length, levels, reserved $ topic): AWS IoT answers
      // PUBACK 0x90 to an MQTT 5 client and closes a 3.1.1 connection.
      refusePublish(
          qos,
          packetId,
          ReasonCodes.TOPIC_NAME_INVALID,
          "topic name not valid (" + verdict.name().toLowerCase().replace('_', ' ') + ")");
      return;
    }
    if (protocolVersion == 5 && userPropertyBytes(props) > limits.maxUserPropertyBytes()) {
      // AWS IoT limits user properties to 8 KB per packet and rejects the packet; PUBACK has no
      // "too large" code, so the refusal is 0x83 (implementation specific) with a reason string.
      refusePublish(
          qos,
          packetId,
          ReasonCodes.IMPLEMENTATION_SPECIFIC_ERROR,
          "user properties exceed " + limits.maxUserPropertyBytes() + " bytes");
      return;
    }
    int payloadFormat = intProperty(props, MqttProperties.PAYLOAD_FORMAT_INDICATOR, 0);
    ByteBuf content = publish.content();
    if (payloadFormat == 1 && !isValidUtf8(content)) {
      refusePublish(
          qos, packetId, ReasonCodes.PAYLOAD_FORMAT_INVALID, "payload is not valid UTF-8");
      return;
    }
    if (publishRate != null && !publishRate.tryTake(System.nanoTime())) {
      core.metrics.drops.rateLimited.increment();
      if (qos == 1 && protocolVersion == 5) {
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
        writePubRec(packetId, ReasonCodes.SUCCESS);
        return;
      }
      if (session.inboundQos2Count() > limits.receiveMaximum()) {
        protocolViolation(ReasonCodes.RECEIVE_MAXIMUM_EXCEEDED, "receive maximum exceeded");
        return;
      }
    }
    byte[] payload = new byte[content.readableBytes()];
    content.getBytes(content.readerIndex(), payload);
    ApplicationMessage message = toApplicationMessage(topic, payload, qos, retain, props);
    core.metrics.messagesIn[qos].increment();
    core.metrics.payloadBytesIn[qos].add(payload.length);
    core.accept(message, clientId, principal);
    if (qos == 1) {
      writePubAck(packetId, ReasonCodes.SUCCESS);
    } else if (qos == 2) {
      writePubRec(packetId, ReasonCodes.SUCCESS);
    }
  }

  private void refusePublish(int qos, int packetId, int reasonCode, String reason) {
    if (protocolVersion == 5 && qos == 1) {
      writePubAck(packetId, reasonCode, reason);
    } else if (protocolVersion == 5 && qos == 2) {
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
        known ? ReasonCodes.SUCCESS : ReasonCodes.PACKET_ID_NOT_FOUND);
    ctx.flush();
  }

  // ---------------------------------------------------------------- PUBLISH (outbound acks)

  private void onPubAck(int packetId) {
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
        known ? ReasonCodes.SUCCESS : ReasonCodes.PACKET_ID_NOT_FOUND);
    ctx.flush();
  }

  private void onPubComp(int packetId) {
    if (session.acknowledge(packetId)) {
      session.drainTo(this, this, core.clock.millis());
    }
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
    int[] codes = new int[requests.size()];
    List<Runnable> afterAck = new ArrayList<>();
    boolean tooMany = requests.size() > limits.maxFiltersPerSubscribe();
    for (int i = 0; i < requests.size(); i++) {
      MqttTopicSubscription request = requests.get(i);
      if (tooMany) {
        codes[i] = failure(ReasonCodes.QUOTA_EXCEEDED);
        continue;
      }
      TopicFilter filter = topicRules.parseFilter(request.topicFilter());
      if (filter == null) {
        codes[i] = failure(ReasonCodes.TOPIC_FILTER_INVALID);
        continue;
      }
      MqttSubscriptionOption option = request.option();
      if (filter.isShared() && option.isNoLocal()) {
        // [MQTT-3.8.3-4] no-local on a shared subscription is a protocol error.
        protocolViolation(ReasonCodes.PROTOCOL_ERROR, "no-local on a shared subscription");
        return;
      }
      if (!core.authorizer.isAllowed(principal, clientId, Action.SUBSCRIBE, filter.raw())) {
        log.info(
            "client {} ({}) not authorized to subscribe to {}",
            clientId,
            principal.name(),
            filter.raw());
        codes[i] = failure(ReasonCodes.NOT_AUTHORIZED);
        continue;
      }
      boolean existed = session.hasSubscription(filter.raw());
      if (!existed && session.subscriptionCount() >= limits.maxSubscriptionsPerConnection()) {
        codes[i] = failure(ReasonCodes.QUOTA_EXCEEDED);
        continue;
      }
      int granted = Math.min(option.qos().value(), limits.maxQos());
      SubscriptionOptions options =
          new SubscriptionOptions(
              granted,
              option.isNoLocal(),
              option.isRetainAsPublished(),
              option.retainHandling().value(),
              subscriptionId);
      session.subscribe(filter, options);
      core.tree.subscribe(filter, session, options);
      codes[i] = granted;
      // Retained messages are queued now, before the SUBACK is written: a message published after
      // the client saw the SUBACK then always arrives after the retained state, never before it
      // (an older retained value must not overwrite a newer live one). They still go out after the
      // SUBACK: the session drains in a later task on this event loop.
      sendRetained(filter, options, existed);
      afterAck.add(() -> core.fireSubscribed(connectedClient, filter.raw(), granted));
    }
    MqttProperties ackProps = MqttProperties.NO_PROPERTIES;
    ctx.write(
        new MqttSubAckMessage(
            new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
            new MqttMessageIdAndPropertiesVariableHeader(packetId, ackProps),
            new MqttSubAckPayload(codes)));
    ctx.flush();
    for (Runnable r : afterAck) {
      r.run();
    }
  }

  private void sendRetained(TopicFilter filter, SubscriptionOptions options, boolean existed) {
    if (filter.isShared()
        || options.retainHandling() == 2
        || (options.retainHandling() == 1 && existed)
        || (limits.retainedOnExactFilterOnly() && filter.hasWildcards())) {
      return;
    }
    long now = core.clock.millis();
    int[] ids =
        options.subscriptionId() == 0 ? Delivery.NO_IDS : new int[] {options.subscriptionId()};
    for (ApplicationMessage m : core.retained.matching(filter, now)) {
      session.offer(new Delivery(m, Math.min(m.qos().value(), options.qos()), true, ids));
    }
  }

  private int failure(int v5Code) {
    return protocolVersion == 5 ? v5Code : ReasonCodes.V3_SUBACK_FAILURE;
  }

  private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
    int packetId = unsubscribe.idAndPropertiesVariableHeader().messageId();
    List<String> filters = unsubscribe.payload().topics();
    if (filters.isEmpty()) {
      // [MQTT-3.10.3-2] an UNSUBSCRIBE without topic filters is a protocol violation.
      protocolViolation(ReasonCodes.PROTOCOL_ERROR, "UNSUBSCRIBE without topic filters");
      return;
    }
    short[] codes = new short[filters.size()];
    for (int i = 0; i < filters.size(); i++) {
      String raw = filters.get(i);
      TopicFilter filter = topicRules.parseFilter(raw);
      if (filter == null) {
        codes[i] = (short) ReasonCodes.TOPIC_FILTER_INVALID;
        continue;
      }
      Session.Subscription removed = session.unsubscribe(raw);
      if (removed != null) {
        core.tree.unsubscribe(removed.filter(), session);
        core.fireUnsubscribed(connectedClient, raw);
        codes[i] = ReasonCodes.SUCCESS;
      } else {
        codes[i] = ReasonCodes.NO_SUBSCRIPTION_EXISTED;
      }
    }
    MqttFixedHeader fixed =
        new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0);
    if (protocolVersion == 5) {
      ctx.writeAndFlush(
          new MqttUnsubAckMessage(
              fixed,
              new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
              new MqttUnsubAckPayload(codes)));
    } else {
      ctx.writeAndFlush(new MqttUnsubAckMessage(fixed, MqttMessageIdVariableHeader.from(packetId)));
    }
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
    // [MQTT-3.14.4-3] a normal DISCONNECT discards the will; reason 0x04 keeps it.
    willSuppressed = reason != ReasonCodes.DISCONNECT_WITH_WILL;
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
        protocolVersion = version.protocolLevel();
      }
      if (cause instanceof MqttUnacceptableProtocolVersionException) {
        refuseConnect(ReasonCodes.UNSUPPORTED_PROTOCOL_VERSION, "unsupported protocol version");
      } else if (cause instanceof MqttIdentifierRejectedException) {
        refuseConnect(ReasonCodes.CLIENT_ID_NOT_VALID, "client id not valid");
      } else if (cause instanceof TooLongFrameException && protocolVersion == 5) {
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
    disconnectReason = reasonName(reasonCode);
    if (connected && protocolVersion == 5) {
      MqttProperties props = MqttProperties.NO_PROPERTIES;
      if (reason != null && requestProblemInformation) {
        props = new MqttProperties();
        props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reason));
      }
      ctx.writeAndFlush(
              new MqttMessage(
                  new MqttFixedHeader(
                      MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                  new MqttReasonCodeAndPropertiesVariableHeader((byte) reasonCode, props)))
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

  /** Called by the broker at shutdown. */
  void shutdown() {
    ctx.executor()
        .execute(
            () -> {
              disconnect(ReasonCodes.SERVER_SHUTTING_DOWN, "server shutting down");
              disconnectReason = "SERVER_INITIATED_DISCONNECT";
            });
  }

  private static String reasonName(int code) {
    switch (code) {
      case ReasonCodes.KEEP_ALIVE_TIMEOUT:
        return "MQTT_KEEP_ALIVE_TIMEOUT";
      case ReasonCodes.SESSION_TAKEN_OVER:
        return "DUPLICATE_CLIENTID";
      case ReasonCodes.NOT_AUTHORIZED:
        return "FORBIDDEN_ACCESS";
      case ReasonCodes.SERVER_SHUTTING_DOWN:
        return "SERVER_INITIATED_DISCONNECT";
      case ReasonCodes.QUOTA_EXCEEDED:
        return "THROTTLED";
      default:
        return code >= 0x80 ? "MQTT_PROTOCOL_ERROR" : "CLIENT_INITIATED_DISCONNECT";
    }
  }

  // ---------------------------------------------------------------- SessionConnection

  @Override
  public void scheduleDrain() {
    ctx.executor()
        .execute(
            () -> {
              if (state == State.CONNECTED && !closing) {
                session.drainTo(this, this, core.clock.millis());
              }
            });
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
    return sendQuota;
  }

  @Override
  public boolean writePublish(Delivery delivery, int packetId, boolean dup) {
    ApplicationMessage m = delivery.message();
    if (!core.authorizer.isAllowed(principal, clientId, Action.RECEIVE, m.topic())) {
      core.metrics.drops.notAuthorized.increment();
      return false;
    }
    String topic = m.topic();
    int qos = delivery.qos();
    MqttProperties props = MqttProperties.NO_PROPERTIES;
    int newAlias = 0;
    if (protocolVersion == 5) {
      props = outboundProperties(m, delivery.subscriptionIds());
      if (clientTopicAliasMaximum > 0) {
        // Topic aliases towards the client [MQTT-3.3.2-11]: the first use of a topic sends the
        // name and a new alias, later uses only the alias. Aliases are handed out until the
        // client's maximum is reached; later topics go out by name.
        if (outboundAliases == null) {
          outboundAliases = new HashMap<>();
        }
        Integer known = outboundAliases.get(topic);
        if (known != null) {
          props = withProperty(props, MqttProperties.TOPIC_ALIAS, known);
          topic = "";
        } else if (outboundAliases.size() < clientTopicAliasMaximum) {
          newAlias = outboundAliases.size() + 1;
          props = withProperty(props, MqttProperties.TOPIC_ALIAS, newAlias);
        }
      }
    }
    // [MQTT-3.1.2-25] a packet larger than the client's Maximum Packet Size is not sent; the
    // message is discarded for this client as if it had been delivered.
    if (publishPacketSize(topic, qos, props, m.payload().length) > clientMaxPacketSize) {
      core.metrics.drops.tooLargeForClient.increment();
      return false;
    }
    if (newAlias != 0) {
      // Only now: an alias the client never saw must not be used by name-less packets later.
      outboundAliases.put(topic, newAlias);
    }
    MqttPublishMessage publish =
        new MqttPublishMessage(
            new MqttFixedHeader(
                MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), delivery.retain(), 0),
            new MqttPublishVariableHeader(topic, qos == 0 ? -1 : packetId, props),
            Unpooled.wrappedBuffer(m.payload()));
    ctx.write(publish, ctx.voidPromise());
    core.metrics.messagesOut[qos].increment();
    core.metrics.payloadBytesOut[qos].add(m.payload().length);
    return true;
  }

  private static MqttProperties withProperty(MqttProperties props, int id, int value) {
    MqttProperties out = props == MqttProperties.NO_PROPERTIES ? new MqttProperties() : props;
    out.add(new MqttProperties.IntegerProperty(id, value));
    return out;
  }

  /** The exact encoded size of a PUBLISH packet, fixed header included. */
  private int publishPacketSize(String topic, int qos, MqttProperties props, int payloadLength) {
    long remaining = 2L + TopicRules.utf8Length(topic) + (qos > 0 ? 2 : 0) + payloadLength;
    if (protocolVersion == 5) {
      long propertyBytes = propertiesLength(props);
      remaining += varIntSize(propertyBytes) + propertyBytes;
    }
    return (int) Math.min(Integer.MAX_VALUE, 1 + varIntSize(remaining) + remaining);
  }

  private static long propertiesLength(MqttProperties props) {
    long n = 0;
    for (MqttProperties.MqttProperty<?> p : props.listAll()) {
      if (p instanceof MqttProperties.UserProperties) {
        for (MqttProperties.StringPair pair : ((MqttProperties.UserProperties) p).value()) {
          n += 5 + TopicRules.utf8Length(pair.key) + TopicRules.utf8Length(pair.value);
        }
      } else if (p instanceof MqttProperties.UserProperty) {
        MqttProperties.StringPair pair = ((MqttProperties.UserProperty) p).value();
        n += 5 + TopicRules.utf8Length(pair.key) + TopicRules.utf8Length(pair.value);
      } else if (p instanceof MqttProperties.IntegerProperty) {
        int id = p.propertyId();
        int value = (Integer) p.value();
        if (id == MqttProperties.PAYLOAD_FORMAT_INDICATOR) {
          n += 2;
        } else if (id == MqttProperties.TOPIC_ALIAS) {
          n += 3;
        } else if (id == MqttProperties.SUBSCRIPTION_IDENTIFIER) {
          n += 1 + varIntSize(value);
        } else {
          n += 5;
        }
      } else if (p instanceof MqttProperties.StringProperty) {
        n += 3 + TopicRules.utf8Length((String) p.value());
      } else if (p instanceof MqttProperties.BinaryProperty) {
        n += 3 + ((byte[]) p.value()).length;
      }
    }
    return n;
  }

  private static int varIntSize(long value) {
    return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
  }

  @Override
  public void writePubRel(int packetId) {
    writeReply(MqttMessageType.PUBREL, packetId, ReasonCodes.SUCCESS);
  }

  @Override
  public void flush() {
    ctx.flush();
  }

  private MqttProperties outboundProperties(ApplicationMessage m, int[] subscriptionIds) {
    MessageProperties mp = m.properties();
    long remaining = m.remainingExpirySeconds(core.clock.millis());
    if (mp == MessageProperties.NONE && remaining < 0 && subscriptionIds.length == 0) {
      return MqttProperties.NO_PROPERTIES;
    }
    MqttProperties props = new MqttProperties();
    if (mp.payloadFormatIndicator() != null) {
      props.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.PAYLOAD_FORMAT_INDICATOR, mp.payloadFormatIndicator()));
    }
    if (mp.contentType() != null) {
      props.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, mp.contentType()));
    }
    if (mp.responseTopic() != null) {
      props.add(
          new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, mp.responseTopic()));
    }
    if (mp.correlationData() != null) {
      props.add(
          new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, mp.correlationData()));
    }
    if (!mp.userProperties().isEmpty()) {
      MqttProperties.UserProperties user = new MqttProperties.UserProperties();
      for (UserProperty up : mp.userProperties()) {
        user.add(up.name(), up.value());
      }
      props.add(user);
    }
    if (remaining >= 0) {
      props.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.PUBLICATION_EXPIRY_INTERVAL, (int) remaining));
    }
    for (int id : subscriptionIds) {
      props.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, id));
    }
    return props;
  }

  // ---------------------------------------------------------------- helpers

  private void writePubAck(int packetId, int reasonCode) {
    writePubAck(packetId, reasonCode, null);
  }

  private void writePubAck(int packetId, int reasonCode, String reason) {
    writeReply(MqttMessageType.PUBACK, packetId, reasonCode, reason);
    ctx.flush();
  }

  private void writePubRec(int packetId, int reasonCode) {
    writePubRec(packetId, reasonCode, null);
  }

  private void writePubRec(int packetId, int reasonCode, String reason) {
    writeReply(MqttMessageType.PUBREC, packetId, reasonCode, reason);
    ctx.flush();
  }

  private void writeReply(MqttMessageType type, int packetId, int reasonCode) {
    writeReply(type, packetId, reasonCode, null);
  }

  /**
   * PUBACK, PUBREC, PUBREL or PUBCOMP. An MQTT 5 failure carries a reason string unless the client
   * asked for no problem information [MQTT-3.1.2-29].
   */
  private void writeReply(MqttMessageType type, int packetId, int reasonCode, String reason) {
    MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
    MqttProperties props = MqttProperties.NO_PROPERTIES;
    if (reason != null && requestProblemInformation && protocolVersion == 5) {
      props = new MqttProperties();
      props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reason));
    }
    Object header =
        protocolVersion == 5
            ? new MqttPubReplyMessageVariableHeader(packetId, (byte) reasonCode, props)
            : MqttMessageIdVariableHeader.from(packetId);
    ctx.write(
        new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0), header),
        ctx.voidPromise());
  }

  private ApplicationMessage toApplicationMessage(
      String topic, byte[] payload, int qos, boolean retain, MqttProperties props) {
    long expiresAt = 0;
    MessageProperties properties = MessageProperties.NONE;
    if (protocolVersion == 5 && !props.isEmpty()) {
      MqttProperties.MqttProperty<?> expiry =
          props.getProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL);
      if (expiry != null) {
        long seconds = ((Integer) expiry.value()) & 0xFFFFFFFFL;
        if (limits.maxMessageExpirySeconds() > 0) {
          seconds = Math.max(1, Math.min(seconds, limits.maxMessageExpirySeconds()));
        }
        expiresAt = core.clock.millis() + seconds * 1000L;
      }
      properties = messageProperties(props);
    }
    return new ApplicationMessage(
        topic, payload, Qos.of(qos), retain, properties, expiresAt, clientId);
  }

  private static MessageProperties messageProperties(MqttProperties props) {
    Integer format = null;
    MqttProperties.MqttProperty<?> p = props.getProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR);
    if (p != null) {
      format = (Integer) p.value();
    }
    String contentType = stringProperty(props, MqttProperties.CONTENT_TYPE);
    String responseTopic = stringProperty(props, MqttProperties.RESPONSE_TOPIC);
    MqttProperties.MqttProperty<?> corr = props.getProperty(MqttProperties.CORRELATION_DATA);
    byte[] correlation = corr == null ? null : (byte[]) corr.value();
    List<UserProperty> user = List.of();
    List<? extends MqttProperties.MqttProperty> ups =
        props.getProperties(MqttProperties.USER_PROPERTY);
    if (!ups.isEmpty()) {
      List<UserProperty> collected = new ArrayList<>();
      for (MqttProperties.MqttProperty<?> up : ups) {
        if (up instanceof MqttProperties.UserProperty) {
          MqttProperties.StringPair pair = ((MqttProperties.UserProperty) up).value();
          collected.add(new UserProperty(pair.key, pair.value));
        } else if (up instanceof MqttProperties.UserProperties) {
          for (MqttProperties.StringPair pair : ((MqttProperties.UserProperties) up).value()) {
            collected.add(new UserProperty(pair.key, pair.value));
          }
        }
      }
      user = collected;
    }
    if (format == null
        && contentType == null
        && responseTopic == null
        && correlation == null
        && user.isEmpty()) {
      return MessageProperties.NONE;
    }
    return new MessageProperties(format, contentType, responseTopic, correlation, user);
  }

  /** UTF-8 bytes of all user property names and values of a packet. */
  private static long userPropertyBytes(MqttProperties props) {
    if (props == null || props.isEmpty()) {
      return 0;
    }
    long n = 0;
    for (MqttProperties.MqttProperty<?> p : props.getProperties(MqttProperties.USER_PROPERTY)) {
      if (p instanceof MqttProperties.UserProperties) {
        for (MqttProperties.StringPair pair : ((MqttProperties.UserProperties) p).value()) {
          n += TopicRules.utf8Length(pair.key) + TopicRules.utf8Length(pair.value);
        }
      } else if (p instanceof MqttProperties.UserProperty) {
        MqttProperties.StringPair pair = ((MqttProperties.UserProperty) p).value();
        n += TopicRules.utf8Length(pair.key) + TopicRules.utf8Length(pair.value);
      }
    }
    return n;
  }

  private static String stringProperty(MqttProperties props, int id) {
    MqttProperties.MqttProperty<?> p = props.getProperty(id);
    return p == null ? null : (String) p.value();
  }

  private static int intProperty(MqttProperties props, int id, int absent) {
    if (props == null) {
      return absent;
    }
    MqttProperties.MqttProperty<?> p = props.getProperty(id);
    return p == null ? absent : (Integer) p.value();
  }

  private static int packetId(MqttMessage message) {
    return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
  }

  private static boolean isValidUtf8(ByteBuf content) {
    return isValidUtf8(content.nioBuffer());
  }

  private static boolean isValidUtf8(ByteBuffer buffer) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(buffer);
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private void publishWill() {
    ApplicationMessage willMessage = will;
    Principal willPrincipal = principal;
    String willClient = clientId;
    long delay = Math.min(willDelaySeconds, session.expiryIntervalSeconds());
    core.sessions.scheduleWill(
        session,
        delay,
        () -> {
          // AWS IoT checks the publisher's policy for the will topic when it is sent.
          if (core.authorizer.isAllowed(
              willPrincipal, willClient, Action.PUBLISH, willMessage.topic())) {
            core.accept(willMessage, willClient, willPrincipal);
          }
        });
  }

  Channel channel() {
    return ctx.channel();
  }
}
