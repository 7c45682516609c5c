package io.pylon.mqtt.broker;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.session.Session;
import io.pylon.mqtt.session.SessionRegistry;
import io.pylon.mqtt.spi.AuthResult;
import io.pylon.mqtt.spi.Authenticator;
import io.pylon.mqtt.spi.Authorizer;
import io.pylon.mqtt.spi.BrokerListener;
import io.pylon.mqtt.spi.ConnectRequest;
import io.pylon.mqtt.spi.ConnectedClient;
import io.pylon.mqtt.spi.PublishInterceptor;
import io.pylon.mqtt.spi.PublishOrigin;
import io.pylon.mqtt.spi.TransportInfo;
import io.pylon.mqtt.topic.TopicTree;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every connection of a broker shares: the subscription tree, sessions, retained messages, the
 * extension points and the counters. Package-private: connections reach the broker only through
 * this object, and the outside world only through {@link MqttBroker}.
 */
final class BrokerCore {

  private static final Logger log = LoggerFactory.getLogger(BrokerCore.class);

  final Clock clock;
  final BrokerMetrics metrics;
  final TopicTree<Session> tree = new TopicTree<>();
  final SessionRegistry sessions;
  final MessageRouter router;
  final RetainedMessages retained;
  final Authorizer authorizer;
  final BrokerPersistence persistence;
  private final Authenticator authenticator;
  private final List<PublishInterceptor> interceptors;
  private final List<BrokerListener> listeners;
  private final Map<String, TokenBucket> connectRates = new ConcurrentHashMap<>();
  private final Map<String, Long> lastConnectByClient = new ConcurrentHashMap<>();
  private final AtomicLong connectionIds = new AtomicLong();

  BrokerCore(BrokerOptions options, SessionRegistryFactory sessionsFactory) {
    this.clock = options.clock();
    this.metrics = new BrokerMetrics(options.meters());
    this.persistence = new BrokerPersistence(options.store());
    this.sessions = sessionsFactory.create(tree, metrics, persistence);
    this.router = new LocalRouter(tree);
    this.retained =
        new RetainedMessages(
            clock::millis, persistence::retainedChanged, persistence::retainedCleared);
    this.authenticator = options.authenticator();
    this.authorizer = options.authorizer();
    this.interceptors = options.interceptors();
    this.listeners = options.listeners();
    metrics.bindState(sessions, tree, retained);
  }

  /** Builds the registry once the core's collaborators exist. */
  interface SessionRegistryFactory {
    SessionRegistry create(
        TopicTree<Session> tree, BrokerMetrics metrics, BrokerPersistence persistence);
  }

  /**
   * Takes a message that passed validation and authorization: reserved-topic handlers first, then
   * retained state, then subscribers, then listeners (rules, metrics).
   */
  void accept(ApplicationMessage message, PublishOrigin origin) {
    String topic = message.topic();
    if (!interceptors.isEmpty() && topic.charAt(0) == '$') {
      for (PublishInterceptor interceptor : interceptors) {
        if (interceptor.handles(topic)
            && interceptor.onPublish(message, origin) == PublishInterceptor.Disposition.CONSUMED) {
          firePublished(message, origin);
          return;
        }
      }
    }
    if (message.retain()) {
      retained.apply(message);
    }
    router.route(message);
    firePublished(message, origin);
  }

  CompletionStage<AuthResult> authenticate(ConnectRequest request) {
    try {
      return authenticator.authenticate(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  boolean acceptConnection(ListenerSettings listener) {
    TokenBucket bucket =
        connectRates.computeIfAbsent(
            listener.name(),
            n -> new TokenBucket(listener.limits().maxConnectsPerSecond(), System.nanoTime()));
    return bucket.tryTakeShared(System.nanoTime());
  }

  /**
   * AWS IoT allows one CONNECT per second per client id; closer ones are throttled. The second is
   * counted from the last accepted CONNECT.
   */
  boolean connectAllowedFor(String clientId, BrokerLimits limits) {
    if (limits.minSecondsBetweenConnects() == 0) {
      return true;
    }
    long now = clock.millis();
    long minGap = limits.minSecondsBetweenConnects() * 1000L;
    // Only accepted CONNECTs start the wait: a client retrying a little too early must not push
    // its next chance further away each time.
    boolean[] allowed = new boolean[1];
    lastConnectByClient.compute(
        clientId,
        (id, previous) -> {
          allowed[0] = previous == null || now - previous >= minGap;
          return allowed[0] ? now : previous;
        });
    if (lastConnectByClient.size() > 100_000) {
      lastConnectByClient.values().removeIf(t -> now - t > minGap);
    }
    return allowed[0];
  }

  long nextConnectionId() {
    return connectionIds.incrementAndGet();
  }

  TransportInfo transportInfo(Channel channel, ListenerSettings listener) {
    List<X509Certificate> certificates = List.of();
    String serverName = null;
    String alpn = null;
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    if (ssl != null) {
      alpn = ssl.applicationProtocol();
      SSLSession sslSession = ssl.engine().getSession();
      try {
        Certificate[] peer = sslSession.getPeerCertificates();
        List<X509Certificate> chain = new ArrayList<>(peer.length);
        for (Certificate c : peer) {
          if (c instanceof X509Certificate) {
            chain.add((X509Certificate) c);
          }
        }
        certificates = chain;
      } catch (SSLPeerUnverifiedException e) {
        // No client certificate: allowed on listeners where client auth is optional.
      }
      if (sslSession instanceof ExtendedSSLSession) {
        for (SNIServerName name : ((ExtendedSSLSession) sslSession).getRequestedServerNames()) {
          if (name instanceof SNIHostName) {
            serverName = ((SNIHostName) name).getAsciiName();
          }
        }
      }
    }
    // Any SocketAddress: TCP gives an InetSocketAddress, but local and embedded channels do not.
    SocketAddress remote = channel.remoteAddress();
    return new TransportInfo(
        listener.name(),
        listener.profile(),
        remote,
        certificates,
        serverName,
        alpn,
        listener.webSocket(),
        listener.loopbackOnly(),
        channel.attr(TransportInfo.TRANSPORT_PRINCIPAL).get());
  }

  void fireConnected(ConnectedClient client, boolean sessionPresent) {
    for (BrokerListener l : listeners) {
      try {
        l.onConnected(client, sessionPresent);
      } catch (RuntimeException e) {
        log.warn("listener failed on connect of client {}", client.clientId(), e);
      }
    }
  }

  void fireDisconnected(ConnectedClient client, String reason) {
    for (BrokerListener l : listeners) {
      try {
        l.onDisconnected(client, reason);
      } catch (RuntimeException e) {
        log.warn("listener failed on disconnect of client {}", client.clientId(), e);
      }
    }
  }

  void fireSubscribed(ConnectedClient client, String filter, int qos) {
    for (BrokerListener l : listeners) {
      try {
        l.onSubscribed(client, filter, qos);
      } catch (RuntimeException e) {
        log.warn("listener failed on subscribe of client {}", client.clientId(), e);
      }
    }
  }

  void fireUnsubscribed(ConnectedClient client, String filter) {
    for (BrokerListener l : listeners) {
      try {
        l.onUnsubscribed(client, filter);
      } catch (RuntimeException e) {
        log.warn("listener failed on unsubscribe of client {}", client.clientId(), e);
      }
    }
  }

  private void firePublished(ApplicationMessage message, PublishOrigin origin) {
    for (BrokerListener l : listeners) {
      try {
        l.onPublished(message, origin);
      } catch (RuntimeException e) {
        log.warn("listener failed on message to {}", message.topic(), e);
      }
    }
  }
}
