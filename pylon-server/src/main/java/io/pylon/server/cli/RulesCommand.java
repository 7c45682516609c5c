package io.pylon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pylon.domain.error.DomainException;
import io.pylon.domain.rules.TopicRulePayload;
import io.pylon.domain.rules.sql.IncomingMessage;
import io.pylon.domain.shadow.MemoryShadowStore;
import io.pylon.domain.shadow.ShadowService;
import io.pylon.http.rules.TopicRulePayloadJson;
import io.pylon.mqtt.broker.BrokerLimits;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.topic.TopicRules;
import io.pylon.server.rules.ActiveRule;
import io.pylon.server.rules.RuleCompiler;
import io.pylon.server.rules.RuleDryRun;
import io.pylon.server.rules.RuleMetrics;
import io.pylon.server.rules.RuleSettings;
import io.pylon.server.rules.action.HttpActionType;
import io.pylon.server.rules.action.LambdaActionType;
import io.pylon.server.rules.action.RepublishActionType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pylon rules}: tools for topic rules that need no running server. */
@Command(
    name = "rules",
    description = "Work with topic rules offline.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = RulesCommand.Test.class)
final class RulesCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return PylonCli.EXIT_USAGE;
  }

  /**
   * {@code pylon rules test}: evaluates a rule against a sample message and prints the SELECT
   * output and each action's rendered request, sending nothing. Offline, so {@code
   * get_thing_shadow} sees no shadows and HTTP destinations are not checked; the {@code
   * TestTopicRule} REST call does the same against a running server's state.
   */
  @Command(
      name = "test",
      description =
          "Evaluate a rule's SQL against a sample topic and payload and show the output and each"
              + " action's rendered request, without sending anything.")
  static final class Test implements Callable<Integer> {

    private static final ObjectMapper JSON =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec private CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    private RuleSource rule;

    static final class RuleSource {
      @Option(
          names = "--rule",
          description =
              "A TopicRulePayload JSON file, as for aws iot create-topic-rule --topic-rule-payload.")
      Path file;

      @Option(names = "--sql", description = "The SQL statement alone (no actions).")
      String sql;
    }

    @Option(
        names = "--sql-version",
        description = "awsIotSqlVersion with --sql (default: 2015-10-08, as AWS).")
    private String sqlVersion;

    @Option(names = "--topic", required = true, description = "Topic of the sample message.")
    private String topic;

    @ArgGroup(multiplicity = "1")
    private PayloadSource payload;

    static final class PayloadSource {
      @Option(names = "--payload", description = "Payload of the sample message, as text.")
      String text;

      @Option(names = "--payload-file", description = "Payload of the sample message, from a file.")
      Path file;
    }

    @Option(names = "--client-id", description = "Client id of the sample publisher.")
    private String clientId;

    @Option(
        names = "--rule-name",
        defaultValue = "dry_run",
        description = "Name shown for the rule.")
    private String ruleName;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      ActiveRule compiled;
      try {
        compiled = compile();
      } catch (DomainException e) {
        err.println("pylon: " + e.getMessage());
        err.flush();
        return PylonCli.EXIT_USAGE;
      }
      byte[] body =
          payload.file != null
              ? Files.readAllBytes(payload.file)
              : payload.text.getBytes(StandardCharsets.UTF_8);
      IncomingMessage message =
          IncomingMessage.builder(topic, body)
              .clientId(clientId)
              .timestampMillis(System.currentTimeMillis())
              .build();
      ObjectNode result = RuleDryRun.run(compiled, message);
      out.println(JSON.writeValueAsString(result));
      out.flush();
      return PylonCli.EXIT_OK;
    }

    private ActiveRule compile() throws IOException {
      BrokerLimits limits = Profile.AWS.defaultLimits();
      Clock clock = Clock.systemUTC();
      RuleCompiler compiler =
          new RuleCompiler(
              List.of(
                  new RepublishActionType(
                      m -> {},
                      new TopicRules(limits.maxTopicLength(), limits.maxTopicLevels(), false),
                      clock),
                  new HttpActionType(null, null, Optional.empty()),
                  new LambdaActionType(Optional.empty())),
              "000000000000",
              clock,
              new ShadowService(new MemoryShadowStore(), clock),
              new RuleMetrics(new SimpleMeterRegistry()),
              RuleSettings.defaults());
      if (rule.sql != null) {
        return compiler.compile(ruleName, rule.sql, sqlVersion, List.of(), null);
      }
      JsonNode json;
      try {
        json = JSON.readTree(Files.readAllBytes(rule.file));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new io.pylon.domain.error.InvalidRequestException(
            rule.file + " is not JSON: " + e.getOriginalMessage());
      }
      TopicRulePayload payload = TopicRulePayloadJson.parse(json);
      return compiler.compile(ruleName, payload, payload.awsIotSqlVersion().orElse(sqlVersion));
    }
  }
}
