package io.pylon.domain.policy.language;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The scenario table in {@code scenarios.json}: each scenario names its policies, the request and
 * the expected decision, with a sentence saying which documented rule it checks. Every scenario is
 * run through both {@link PreparedPolicies#evaluate} (the message path) and {@link
 * PreparedPolicies#explain} (TestAuthorization), which must agree.
 */
class PolicyScenariosTest {

  private static final String ARN_PREFIX = "arn:aws:iot:us-east-1:123456789012:";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  Stream<DynamicTest> scenarios() throws IOException {
    JsonNode root = load();
    JsonNode library = root.get("library");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode scenario : root.get("scenarios")) {
      String name = scenario.get("name").asText();
      tests.add(
          DynamicTest.dynamicTest(
              name + ": " + scenario.get("description").asText(), () -> run(scenario, library)));
    }
    assertThat(tests).hasSizeGreaterThanOrEqualTo(60);
    return tests.stream();
  }

  private static void run(JsonNode scenario, JsonNode library) throws IOException {
    List<NamedPolicy> policies = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : iterable(scenario.get("policies"))) {
      JsonNode document = entry.getValue();
      if (document.isTextual()) {
        document = library.get(document.asText());
        assertThat(document).as("library document %s", entry.getValue()).isNotNull();
      }
      policies.add(
          new NamedPolicy(entry.getKey(), PolicyDocument.parse(JSON.writeValueAsString(document))));
    }
    PolicyContext.Builder context = PolicyContext.builder();
    for (Map.Entry<String, JsonNode> entry : iterable(scenario.get("context"))) {
      JsonNode value = entry.getValue();
      List<String> values = new ArrayList<>();
      if (value.isArray()) {
        value.forEach(v -> values.add(v.asText()));
      } else {
        values.add(value.asText());
      }
      context.value(entry.getKey(), values.toArray(String[]::new));
    }
    AuthorizationRequest request =
        new AuthorizationRequest(
            scenario.get("action").asText(), scenario.get("resource").asText(), context.build());
    AuthDecision expected = AuthDecision.valueOf(scenario.get("expect").asText());

    Decision fast = PolicyEvaluator.evaluate(policies, request);
    Decision full = PolicyEvaluator.explain(policies, request);

    assertThat(fast.authDecision()).as("evaluate").isEqualTo(expected);
    assertThat(full.authDecision()).as("explain").isEqualTo(expected);
    assertThat(fast.allowed()).isEqualTo(expected == AuthDecision.ALLOWED);
    if (expected == AuthDecision.IMPLICIT_DENY) {
      assertThat(fast.decidingStatements()).isEmpty();
      assertThat(full.decidingStatements()).isEmpty();
    } else {
      assertThat(fast.decidingStatements()).containsExactly(full.decidingStatements().get(0));
    }
    if (scenario.has("deciding")) {
      List<String> deciding = new ArrayList<>();
      scenario.get("deciding").forEach(d -> deciding.add(d.asText()));
      assertThat(full.decidingStatements())
          .extracting(ref -> ref.policyName() + "#" + ref.statementIndex())
          .containsExactlyElementsOf(deciding);
    }
    if (scenario.has("missing")) {
      List<String> missing = new ArrayList<>();
      scenario.get("missing").forEach(d -> missing.add(d.asText()));
      assertThat(full.missingContextValues()).containsExactlyElementsOf(missing);
    }
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
    return object.properties();
  }

  private static JsonNode load() throws IOException {
    try (InputStream in = PolicyScenariosTest.class.getResourceAsStream("scenarios.json")) {
      assertThat(in).as("scenarios.json on the test class path").isNotNull();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return JSON.readTree(text.replace("\"A:", "\"" + ARN_PREFIX));
    }
  }
}
