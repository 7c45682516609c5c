package io.pylon.bench.jmh;

import io.pylon.domain.policy.language.AuthorizationRequest;
import io.pylon.domain.policy.language.Decision;
import io.pylon.domain.policy.language.NamedPolicy;
import io.pylon.domain.policy.language.PolicyContext;
import io.pylon.domain.policy.language.PolicyDocument;
import io.pylon.domain.policy.language.PolicyEvaluator;
import io.pylon.domain.policy.language.PreparedPolicies;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * IoT policy evaluation as the broker pays it: a device's four attached policies (27 statements:
 * per-thing topic prefixes with {@code ${iot:Connection.Thing.ThingName}}, shadow and jobs topics,
 * fleet topics from a thing attribute, conditions on attachment and source IP, and deny
 * statements), prepared once for the connection, then one evaluation per CONNECT, PUBLISH,
 * SUBSCRIBE filter and delivery. Topics rotate through 1,024 devices' names so that no single
 * string stays hot. Also measured: preparing the policies for a new connection, the one-shot {@link
 * PolicyEvaluator#evaluate} that prepares every time, and parsing a document.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class PolicyEvaluationBenchmark {

  private static final String ARN = "arn:aws:iot:us-east-1:123456789012:";
  private static final int DEVICES = 1_024;

  static final String DEVICE_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Sid": "Connect", "Effect": "Allow", "Action": "iot:Connect",
         "Resource": "arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}",
         "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}},
        {"Sid": "Telemetry", "Effect": "Allow", "Action": ["iot:Publish", "iot:RetainPublish"],
         "Resource": "arn:aws:iot:us-east-1:123456789012:topic/dt/${iot:Connection.Thing.ThingName}/*"},
        {"Sid": "Commands", "Effect": "Allow", "Action": "iot:Subscribe",
         "Resource": "arn:aws:iot:us-east-1:123456789012:topicfilter/cmd/${iot:Connection.Thing.ThingName}/*"},
        {"Sid": "CommandsIn", "Effect": "Allow", "Action": "iot:Receive",
         "Resource": "arn:aws:iot:us-east-1:123456789012:topic/cmd/${iot:Connection.Thing.ThingName}/*"},
        {"Sid": "ShadowOut", "Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
         "Resource": ["arn:aws:iot:us-east-1:123456789012:topic/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*",
                      "arn:aws:iot:us-east-1:123456789012:topic/$aws/things/${iot:Connection.Thing.ThingName}/jobs/*"]},
        {"Sid": "ShadowSub", "Effect": "Allow", "Action": "iot:Subscribe",
         "Resource": ["arn:aws:iot:us-east-1:123456789012:topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*",
                      "arn:aws:iot:us-east-1:123456789012:topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/jobs/*"]},
        {"Sid": "NoAdmin", "Effect": "Deny", "Action": "iot:Publish",
         "Resource": "arn:aws:iot:us-east-1:123456789012:topic/dt/*/admin"}]}
      """;

  static final String FLEET_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Sid": "FleetPublish", "Effect": "Allow", "Action": "iot:Publish",
         "Resource": "arn:aws:iot:us-east-1:123456789012:topic/fleet/${iot:Connection.Thing.Attributes[fleet]}/${iot:Connection.Thing.ThingName}/*"},
        {"Sid": "FleetSubscribe", "Effect": "Allow", "Action": "iot:Subscribe",
         "Resource": ["arn:aws:iot:us-east-1:123456789012:topicfilter/fleet/${iot:Connection.Thing.Attributes[fleet]}/broadcast/*",
                      "arn:aws:iot:us-east-1:123456789012:topicfilter/broadcast/all"]},
        {"Sid": "FleetReceive", "Effect": "Allow", "Action": "iot:Receive",
         "Resource": ["arn:aws:iot:us-east-1:123456789012:topic/fleet/${iot:Connection.Thing.Attributes[fleet]}/broadcast/*",
                      "arn:aws:iot:us-east-1:123456789012:topic/broadcast/all"]},
        {"Sid": "NoBroadcastPublish", "Effect": "Deny", "Action": "iot:Publish",
         "Resource": ["arn:aws:iot:us-east-1:123456789012:topic/broadcast/*",
                      "arn:aws:iot:us-east-1:123456789012:topic/fleet/*/broadcast/*"]},
        {"Sid": "TypeTopics", "Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
         "Resource": "arn:aws:iot:us-east-1:123456789012:topic/types/${iot:Connection.Thing.ThingTypeName}/${iot:Connection.Thing.ThingName}"},
        {"Sid": "Sensors", "Effect": "Allow", "Action": "iot:Subscribe",
         "Resource": "arn:aws:iot:us-east-1:123456789012:topicfilter/sensors/????/*"}]}
      """;

  static final String OTA_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Sid": "Streams", "Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
         "Resource": "arn:aws:iot:us-east-1:123456789012:topic/$aws/things/${iot:Connection.Thing.ThingName}/streams/*"},
        {"Sid": "StreamsSub", "Effect": "Allow", "Action": "iot:Subscribe",
         "Resource": "arn:aws:iot:us-east-1:123456789012:topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/streams/*"},
        {"Sid": "Retained", "Effect": "Allow", "Action": "iot:GetRetainedMessage",
         "Resource": "arn:aws:iot:us-east-1:123456789012:topic/config/${iot:Connection.Thing.ThingName}/*"},
        {"Sid": "ShadowApi", "Effect": "Allow", "Action": ["iot:GetThingShadow", "iot:UpdateThingShadow"],
         "Resource": ["arn:aws:iot:us-east-1:123456789012:thing/${iot:Connection.Thing.ThingName}",
                      "arn:aws:iot:us-east-1:123456789012:thing/${iot:Connection.Thing.ThingName}/*"]},
        {"Sid": "PlantOnly", "Effect": "Deny", "Action": "iot:*", "Resource": "*",
         "Condition": {"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}}}]}
      """;

  static final String GUARDRAILS_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Sid": "NoRestricted", "Effect": "Deny", "Action": ["iot:Publish", "iot:Receive"],
         "Resource": "arn:aws:iot:us-east-1:123456789012:topic/restricted/*"},
        {"Sid": "NoRestrictedSub", "Effect": "Deny", "Action": "iot:Subscribe",
         "Resource": "arn:aws:iot:us-east-1:123456789012:topicfilter/restricted/*"},
        {"Sid": "NoRootWildcard", "Effect": "Deny", "Action": "iot:Subscribe",
         "Resource": ["arn:aws:iot:us-east-1:123456789012:topicfilter/#",
                      "arn:aws:iot:us-east-1:123456789012:topicfilter/+/#"]},
        {"Sid": "NoRetainOutsideDt", "Effect": "Deny", "Action": "iot:RetainPublish",
         "NotResource": "arn:aws:iot:us-east-1:123456789012:topic/dt/*"},
        {"Sid": "NoPersistentForTest", "Effect": "Deny", "Action": "iot:Connect", "Resource": "*",
         "Condition": {"StringLike": {"iot:ClientId": "test-*"},
                       "ForAnyValue:StringEquals": {"iot:ConnectAttributes": "PersistentConnect"}}},
        {"Sid": "Events", "Effect": "Allow", "Action": "iot:Receive",
         "Resource": "arn:aws:iot:us-east-1:123456789012:topic/$aws/events/*"},
        {"Sid": "Rules", "Effect": "Allow", "Action": "iot:Publish",
         "Resource": "arn:aws:iot:us-east-1:123456789012:topic/$aws/rules/*/dt/${iot:ClientId}/*"},
        {"Sid": "LegacyDeny", "Effect": "Deny", "Action": "iot:*", "Resource": "*",
         "Condition": {"StringEquals": {"iot:Connection.Thing.ThingTypeName": "retired"}}},
        {"Sid": "Ping", "Effect": "Allow", "Action": "iot:Publish",
         "Resource": "arn:aws:iot:us-east-1:123456789012:topic/ping"}]}
      """;

  private List<NamedPolicy> policies;
  private PreparedPolicies[] prepared;
  private PolicyContext[] contexts;
  private String[] telemetry;
  private String[] admin;
  private String[] otherDevice;
  private String[] shadowFilter;
  private String[] commandReceive;
  private String[] clients;
  private int cursor;

  @Setup
  public void setUp() {
    policies =
        List.of(
            new NamedPolicy("device", PolicyDocument.parse(DEVICE_POLICY)),
            new NamedPolicy("fleet", PolicyDocument.parse(FLEET_POLICY)),
            new NamedPolicy("ota", PolicyDocument.parse(OTA_POLICY)),
            new NamedPolicy("guardrails", PolicyDocument.parse(GUARDRAILS_POLICY)));
    prepared = new PreparedPolicies[DEVICES];
    contexts = new PolicyContext[DEVICES];
    telemetry = new String[DEVICES];
    admin = new String[DEVICES];
    otherDevice = new String[DEVICES];
    shadowFilter = new String[DEVICES];
    commandReceive = new String[DEVICES];
    clients = new String[DEVICES];
    for (int i = 0; i < DEVICES; i++) {
      String thing = "device-" + String.format("%06d", i);
      contexts[i] =
          PolicyContext.builder()
              .clientId(thing)
              .sourceIp("10.1." + (i / 256) + "." + (i % 256))
              .attachedThing(thing, "pump", Map.of("fleet", "fleet-" + (i % 17)))
              .connectAttributes(List.of("PersistentConnect"))
              .certificateSubject("CommonName", thing)
              .build();
      prepared[i] = PolicyEvaluator.prepare(policies, contexts[i]);
      telemetry[i] = ARN + "topic/dt/" + thing + "/telemetry/temperature";
      admin[i] = ARN + "topic/dt/" + thing + "/admin";
      otherDevice[i] = ARN + "topic/dt/device-" + String.format("%06d", DEVICES - 1 - i) + "x/t";
      shadowFilter[i] = ARN + "topicfilter/$aws/things/" + thing + "/shadow/update/accepted";
      commandReceive[i] = ARN + "topic/cmd/" + thing + "/reboot";
      clients[i] = ARN + "client/" + thing;
    }
    check(prepared[0].evaluate(AuthorizationRequest.PUBLISH, telemetry[0]).allowed(), "telemetry");
    check(!prepared[0].evaluate(AuthorizationRequest.PUBLISH, admin[0]).allowed(), "admin");
    check(!prepared[0].evaluate(AuthorizationRequest.PUBLISH, otherDevice[0]).allowed(), "other");
    check(prepared[0].evaluate(AuthorizationRequest.SUBSCRIBE, shadowFilter[0]).allowed(), "sub");
    check(prepared[0].evaluate(AuthorizationRequest.RECEIVE, commandReceive[0]).allowed(), "recv");
    check(prepared[0].evaluate(AuthorizationRequest.CONNECT, clients[0]).allowed(), "connect");
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("benchmark policies do not decide " + what + " as intended");
    }
  }

  private int next() {
    cursor = (cursor + 1) & (DEVICES - 1);
    return cursor;
  }

  /** Inbound PUBLISH on the device's own telemetry topic: allowed after checking 5 denies. */
  @Benchmark
  public Decision publishAllowed() {
    int i = next();
    return prepared[i].evaluate(AuthorizationRequest.PUBLISH, telemetry[i]);
  }

  /** PUBLISH to dt/{thing}/admin: explicit deny. */
  @Benchmark
  public Decision publishExplicitDeny() {
    int i = next();
    return prepared[i].evaluate(AuthorizationRequest.PUBLISH, admin[i]);
  }

  /** PUBLISH to another device's topic: every statement checked, implicit deny. */
  @Benchmark
  public Decision publishImplicitDeny() {
    int i = next();
    return prepared[i].evaluate(AuthorizationRequest.PUBLISH, otherDevice[i]);
  }

  /** One SUBSCRIBE filter on the device's shadow topics. */
  @Benchmark
  public Decision subscribeShadow() {
    int i = next();
    return prepared[i].evaluate(AuthorizationRequest.SUBSCRIBE, shadowFilter[i]);
  }

  /** One delivery to the device on its command topic. */
  @Benchmark
  public Decision receiveCommand() {
    int i = next();
    return prepared[i].evaluate(AuthorizationRequest.RECEIVE, commandReceive[i]);
  }

  /** Preparing the four policies for a new connection (variables, conditions). */
  @Benchmark
  public PreparedPolicies prepareConnection() {
    return PolicyEvaluator.prepare(policies, contexts[next()]);
  }

  /** CONNECT without a prepared set: prepare plus one evaluation. */
  @Benchmark
  public Decision connectOneShot() {
    int i = next();
    return PolicyEvaluator.evaluate(
        policies, new AuthorizationRequest(AuthorizationRequest.CONNECT, clients[i], contexts[i]));
  }

  /** Parsing and compiling the largest of the four documents (CreatePolicy, cache fill). */
  @Benchmark
  public PolicyDocument parseDocument() {
    return PolicyDocument.parse(GUARDRAILS_POLICY);
  }
}
