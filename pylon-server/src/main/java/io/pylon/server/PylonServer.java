package io.pylon.server;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pylon.domain.AwsAccount;
import io.pylon.domain.identity.CaCertificateService;
import io.pylon.domain.identity.CertificateService;
import io.pylon.domain.identity.IdentityListeners;
import io.pylon.domain.policy.PolicyService;
import io.pylon.domain.registry.ThingPrincipalService;
import io.pylon.domain.registry.ThingService;
import io.pylon.domain.shadow.ShadowService;
import io.pylon.http.endpoint.EndpointApi;
import io.pylon.http.rest.RestApi;
import io.pylon.http.rest.RestRouter;
import io.pylon.http.sigv4.CredentialStore;
import io.pylon.http.sigv4.SecretKey;
import io.pylon.http.sigv4.SigV4Verifier;
import io.pylon.mqtt.broker.BrokerLimits;
import io.pylon.mqtt.broker.BrokerOptions;
import io.pylon.mqtt.broker.ListenerSettings;
import io.pylon.mqtt.broker.MqttBroker;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.store.BrokerStore;
import io.pylon.mqtt.topic.TopicRules;
import io.pylon.server.auth.SigV4UpgradeAuthenticator;
import io.pylon.server.auth.TransportAuthenticator;
import io.pylon.server.authorization.PolicyAdmission;
import io.pylon.server.authorization.PolicyAuthorizer;
import io.pylon.server.config.ConfigException;
import io.pylon.server.config.ListenerConfig;
import io.pylon.server.config.PylonConfig;
import io.pylon.server.config.RulesConfig;
import io.pylon.server.credentials.AdminCredentials;
import io.pylon.server.http.ServerEndpoints;
import io.pylon.server.identity.DeviceCertificateCheck;
import io.pylon.server.identity.RegisteredTrust;
import io.pylon.server.identity.RevokedConnections;
import io.pylon.server.identity.RootCaIssuer;
import io.pylon.server.messaging.MessagingApi;
import io.pylon.server.pki.DataDirectory;
import io.pylon.server.pki.Pem;
import io.pylon.server.pki.ServerTls;
import io.pylon.server.rules.HttpDestinationConfirmations;
import io.pylon.server.rules.RuleCompiler;
import io.pylon.server.rules.RuleEngine;
import io.pylon.server.rules.RuleMetrics;
import io.pylon.server.rules.RuleSettings;
import io.pylon.server.rules.TopicRuleDryRunApi;
import io.pylon.server.rules.TopicRuleRuntime;
import io.pylon.server.rules.action.HttpActionType;
import io.pylon.server.rules.action.LambdaActionType;
import io.pylon.server.rules.action.RepublishActionType;
import io.pylon.server.rules.outbound.LambdaInvoker;
import io.pylon.server.rules.outbound.OutboundHttp;
import io.pylon.server.rules.outbound.OutboundTrust;
import io.pylon.server.shadow.ShadowRequests;
import io.pylon.server.transport.EventLoops;
import io.pylon.server.transport.Listeners;
import io.pylon.server.transport.UpgradeAuthenticator;
import io.pylon.store.Database;
import io.pylon.store.broker.JdbcBrokerStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Pylon: data directory, storage, broker and listeners, wired by hand in one place.
 *
 * <p>{@link #start} returns once every listener is bound; {@link #close} stops accepting,
 * disconnects clients (MQTT 5: reason 0x8B), stores persistent sessions and retained messages and
 * releases the data directory. Embeddable: tests start it on ephemeral loopback ports.
 */
public final class PylonServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PylonServer.class);

  private final PylonConfig config;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private DataDirectory dataDirectory;
  private AdminCredentials credentials;
  private AwsAccount account;
  private MqttBroker broker;
  private ControlPlane controlPlane;
  private PrometheusMeterRegistry metrics;
  private RuleCompiler ruleCompiler;
  private TopicRuleRuntime ruleRuntime;
  private volatile boolean closed;
  private volatile boolean started;

  private PylonServer(PylonConfig config) {
    this.config = config;
  }

  /** Starts a server; on failure everything already opened is closed again. */
  public static PylonServer start(PylonConfig config) throws Exception {
    PylonServer server = new PylonServer(config);
    try {
      server.open();
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void open() throws Exception {
    long startNanos = System.nanoTime();
    dataDirectory = DataDirectory.open(config.dataDir(), config.serverNames());
    resources.add(dataDirectory);
    credentials =
        config.aws().hasConfiguredKeys()
            ? new AdminCredentials(config.aws().accessKeyId(), config.aws().secretAccessKey())
            : AdminCredentials.loadOrCreate(dataDirectory.credentialsFile());
    account = new AwsAccount(config.aws().accountId(), config.aws().region());

    Database database =
        config.storage().isEmbedded()
            ? Database.embedded(dataDirectory.databaseDirectory())
            : Database.postgres(
                config.storage().url(), config.storage().username(), config.storage().password());
    resources.add(database);
    BrokerStore store = new JdbcBrokerStore(database);

    // Identity: certificates and CAs in the same database; TLS handshakes and CONNECTs check the
    // registration off the event loops, on this pool.
    ExecutorService identityChecks =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            r -> {
              Thread t = new Thread(r, "pylon-tls");
              t.setDaemon(true);
              return t;
            });
    resources.add(identityChecks::shutdownNow);
    ScheduledExecutorService policyRefresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "pylon-policy-refresh");
              t.setDaemon(true);
              return t;
            });
    resources.add(policyRefresher::shutdownNow);
    HttpDestinationConfirmations destinationConfirmations = new HttpDestinationConfirmations();
    resources.add(destinationConfirmations);
    controlPlane =
        new ControlPlane(
            account,
            database,
            new RootCaIssuer(dataDirectory.rootCa()),
            Clock.systemUTC(),
            policyRefresher,
            destinationConfirmations,
            () -> "https://" + endpointAddress(),
            // The compiler needs the broker and the control plane; it exists before any request.
            (name, payload, version) -> ruleCompiler.check(name, payload, version),
            config.shadow());
    CertificateService certificates = controlPlane.certificates();
    CaCertificateService caCertificates = controlPlane.caCertificates();
    IdentityListeners identityListeners = controlPlane.identityListeners();
    DeviceCertificateCheck deviceCheck = new DeviceCertificateCheck(certificates, caCertificates);
    RegisteredTrust registeredTrust = new RegisteredTrust(certificates, caCertificates);
    identityListeners.add(registeredTrust);

    metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);

    Set<String> anonymous = new HashSet<>();
    for (ListenerConfig l : config.enabledListeners()) {
      if (l.allowsAnonymous()) {
        anonymous.add(l.name());
      }
    }
    // Shadow requests over MQTT; answers (also those of REST updates) go out through the broker.
    ShadowRequests shadowRequests =
        new ShadowRequests(controlPlane.shadows(), controlPlane.shadowPublisher());
    // Topic rules: the engine hears every accepted message (listener) and serves Basic Ingest
    // (interceptor); the runtime keeps it in step with the saved rules.
    Clock clock = Clock.systemUTC();
    RulesConfig rulesConfig = config.rules();
    RuleSettings ruleSettings = rulesConfig.engine();
    RuleMetrics ruleMetrics = new RuleMetrics(metrics);
    OutboundHttp outbound =
        new OutboundHttp(
            rulesConfig.http(),
            metrics,
            clock,
            rulesConfig.httpCaFile().map(PylonServer::trustingAlso).orElse(null));
    resources.add(outbound);
    RuleEngine ruleEngine =
        new RuleEngine(
            ruleSettings.evaluationThreads(), ruleSettings.evaluationQueue(), ruleMetrics, clock);
    resources.add(ruleEngine);
    BrokerLimits awsLimits = config.limitsFor(Profile.AWS);
    ruleCompiler =
        new RuleCompiler(
            List.of(
                new RepublishActionType(
                    message -> broker.publish(message),
                    new TopicRules(awsLimits.maxTopicLength(), awsLimits.maxTopicLevels(), false),
                    clock),
                new HttpActionType(
                    outbound,
                    controlPlane.topicRuleDestinations()::enabledDestinationFor,
                    rulesConfig.httpSigningKeys()),
                new LambdaActionType(
                    rulesConfig.lambda().map(endpoint -> new LambdaInvoker(outbound, endpoint)))),
            account.accountId(),
            clock,
            controlPlane.shadows(),
            ruleMetrics,
            ruleSettings);
    ruleRuntime = new TopicRuleRuntime(ruleEngine, ruleCompiler);
    BrokerOptions options =
        BrokerOptions.permissive()
            .withClock(Clock.systemUTC())
            .withStore(store)
            .withMeters(metrics)
            // Until IoT policies are enforced, an authenticated client may do anything.
            .withAuth(
                new TransportAuthenticator(
                    anonymous,
                    new PolicyAdmission(account, deviceCheck::refusal, controlPlane.livePolicies()),
                    identityChecks),
                new PolicyAuthorizer(account))
            .withInterceptors(List.of(shadowRequests, ruleEngine))
            .withListeners(List.of(ruleEngine));
    broker = new MqttBroker(options);
    controlPlane.shadowPublisher().attach(broker);
    identityListeners.add(new RevokedConnections(broker, certificates));
    resources.add(() -> broker.shutdown(config.shutdownGrace()));
    // Closed before the broker shuts down: no shadow answers into a stopping broker.
    resources.add(shadowRequests);
    BrokerLimits mqttLimits = config.limitsFor(Profile.MQTT);
    broker.start(
        new TopicRules(mqttLimits.maxTopicLength(), mqttLimits.maxTopicLevels(), true),
        Math.max(
            config.limitsFor(Profile.AWS).maxQueuedMessages(), mqttLimits.maxQueuedMessages()));

    controlPlane
        .topicRules()
        .withAllRules(
            all -> {
              log.info("{} topic rules running", ruleRuntime.load(all));
              controlPlane.topicRuleListeners().add(ruleRuntime);
            });

    EventLoops loops = new EventLoops(config.ioThreadCount());
    resources.add(loops);
    Listeners listeners = new Listeners(loops, broker, identityChecks);
    resources.add(listeners);
    ServerTls tls = ServerTls.forDataDirectory(dataDirectory, registeredTrust, deviceCheck);
    ThreadPoolExecutor httpExecutor =
        new ThreadPoolExecutor(
            2,
            8,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024),
            r -> {
              Thread t = new Thread(r, "pylon-http");
              t.setDaemon(true);
              return t;
            });
    resources.add(httpExecutor::shutdownNow);
    CredentialStore keys = adminKeys();
    UpgradeAuthenticator upgrades = webSocketAuthenticator(keys);
    RestRouter rest = RestRouter.create(keys, Clock.systemUTC(), restApis(account, database));

    for (ListenerConfig l : config.enabledListeners()) {
      ListenerSettings settings = config.listenerSettings(l);
      Listeners.Bound bound;
      switch (l.name()) {
        case ListenerConfig.MQTT:
          bound = listeners.bindMqtt(l.socketAddress(), settings);
          break;
        case ListenerConfig.MQTTS:
          bound = listeners.bindMqtts(l.socketAddress(), settings, tls.deviceContext());
          break;
        case ListenerConfig.HTTPS:
          bound =
              listeners.bindHttps(
                  l.socketAddress(),
                  settings,
                  tls.httpsContext(),
                  upgrades,
                  new ServerEndpoints(metrics, rest),
                  httpExecutor);
          break;
        default:
          throw new IllegalStateException("unknown listener " + l.name());
      }
      ports.put(l.name(), bound.port());
      broker.registerListener(settings);
    }
    started = true;
    log.info(
        Banner.render(
            this,
            loops.transportName()
                + " transport, "
                + loops.workerThreads()
                + (loops.workerThreads() == 1 ? " I/O thread" : " I/O threads"),
            (System.nanoTime() - startNanos) / 1_000_000));
  }

  /**
   * The AWS REST operation handlers served on the HTTPS listener. Each feature appends its {@code
   * XxxApi} here; operations of the catalog without a handler answer NotImplementedException.
   */
  private List<RestApi> restApis(AwsAccount account, Database database) {
    List<RestApi> apis = new ArrayList<>();
    apis.add(new EndpointApi(this::endpointAddress));
    apis.addAll(controlPlane.restApis());
    apis.add(new MessagingApi(broker, controlPlane.restCallerPolicies()));
    apis.add(
        new TopicRuleDryRunApi(
            controlPlane.topicRules(), ruleRuntime, ruleCompiler, Clock.systemUTC()));
    return apis;
  }

  /**
   * What DescribeEndpoint answers: the first configured server name that is not a wildcard, else
   * 127.0.0.1 (the default bind address, covered by the server certificate), with the HTTPS port
   * unless it is 443.
   */
  String endpointAddress() {
    String host = "127.0.0.1";
    for (String name : config.serverNames()) {
      if (!name.startsWith("*")) {
        host = name;
        break;
      }
    }
    return EndpointApi.address(host, port(ListenerConfig.HTTPS));
  }

  /** The JVM's trusted CAs plus those of a PEM file, for https rule actions. */
  private static SSLContext trustingAlso(Path caFile) {
    try {
      return OutboundTrust.defaultsPlus(Pem.parseCertificates(Files.readString(caFile)));
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("rules.http.ca-file: cannot use " + caFile + ": " + e.getMessage());
    }
  }

  /** The SigV4 keys accepted on the HTTPS listener: the admin credentials of the data directory. */
  private CredentialStore adminKeys() {
    return CredentialStore.of(
        Map.of(credentials.accessKeyId(), new SecretKey(credentials.secretAccessKey(), "admin")));
  }

  private static UpgradeAuthenticator webSocketAuthenticator(CredentialStore keys) {
    // AWS IoT presigns WebSocket URLs for iotdevicegateway; some hand-written clients use iotdata.
    return new SigV4UpgradeAuthenticator(
        new SigV4Verifier(keys, Clock.systemUTC(), Set.of("iotdevicegateway", "iotdata")));
  }

  /** The port a listener is bound to (useful with port 0); -1 when it is disabled. */
  public int port(String listener) {
    return ports.getOrDefault(listener, -1);
  }

  public PylonConfig config() {
    return config;
  }

  public Path dataDir() {
    return dataDirectory.root();
  }

  public DataDirectory dataDirectory() {
    return dataDirectory;
  }

  public Path caFile() {
    return dataDirectory.caCertificateFile();
  }

  public Path credentialsFile() {
    return dataDirectory.credentialsFile();
  }

  public AdminCredentials credentials() {
    return credentials;
  }

  /** The account id and region of this server's ARNs. */
  public AwsAccount account() {
    return account;
  }

  public MqttBroker broker() {
    return broker;
  }

  /** Device certificates (CreateKeysAndCertificate, RegisterCertificate, UpdateCertificate...). */
  public CertificateService certificates() {
    return controlPlane.certificates();
  }

  /** CA certificates and the registration code. */
  public CaCertificateService caCertificates() {
    return controlPlane.caCertificates();
  }

  /** Things. */
  public ThingService things() {
    return controlPlane.things();
  }

  /** Thing principals: which certificates are attached to which things. */
  public ThingPrincipalService thingPrincipals() {
    return controlPlane.thingPrincipals();
  }

  /** Device shadows. */
  public ShadowService shadows() {
    return controlPlane.shadows();
  }

  /** IoT policies and their attachments. */
  public PolicyService policies() {
    return controlPlane.policies();
  }

  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  Map<String, Integer> ports() {
    return ports;
  }

  /** Blocks until {@link #close} has finished. */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Reverse order of opening: listeners stop accepting, the broker disconnects clients and stores
    // its state, then loops, storage and the data directory lock go.
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    java.util.Collections.reverse(reversed);
    EventLoops loops = null;
    for (AutoCloseable r : reversed) {
      if (r instanceof EventLoops) {
        // The broker's shutdown runs on the event loops, so they stop last.
        loops = (EventLoops) r;
      } else {
        closeQuietly(r);
      }
    }
    if (loops != null) {
      closeQuietly(loops);
    }
    terminated.countDown();
    if (started) {
      log.info("Pylon stopped");
    }
  }

  private static void closeQuietly(AutoCloseable r) {
    try {
      r.close();
    } catch (Exception e) {
      log.warn("error while stopping: {}", e.toString());
    }
  }
}
