package io.pylon.http.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RouteCatalogTest {

  private final RouteCatalog catalog = RouteCatalog.aws();

  @Test
  void shippedCatalog_holdsEveryRouteOfTheThreeServices() {
    Map<RestService, Long> perService =
        catalog.routes().stream()
            .collect(Collectors.groupingBy(Route::service, Collectors.counting()));

    // 272 AWS operations of iot plus Pylon's TestTopicRule extension.
    assertThat(perService)
        .containsEntry(RestService.IOT, 273L)
        .containsEntry(RestService.IOT_DATA, 11L)
        .containsEntry(RestService.IOT_JOBS_DATA, 5L);
    assertThat(catalog.route(RestService.IOT, "DescribeEndpoint"))
        .hasValueSatisfying(
            r -> {
              assertThat(r.method()).isEqualTo("GET");
              assertThat(r.template()).hasToString("/endpoint");
              assertThat(r.priority()).isEqualTo("P0");
            });
    assertThat(catalog.route(RestService.IOT, "TestTopicRule"))
        .hasValueSatisfying(r -> assertThat(r.priority()).isEqualTo("pylon"));
  }

  @Test
  void shippedCatalog_everyRouteMatchesItsOwnTemplateFilledIn() {
    // Guards the whole catalog: filling every label with a value must route back to the same
    // operation, unless it is one of the collisions which then must include it.
    for (Route route : catalog.routes()) {
      String path = route.template().toString().replaceAll("\\{[A-Za-z]+\\+?}", "x");
      List<RouteMatch> matches = catalog.match(route.method(), path);
      assertThat(matches).extracting(RouteMatch::route).as(route.toString()).contains(route);
    }
  }

  @Test
  void encodedSlashInALabel_staysInsideTheLabel() {
    List<RouteMatch> matches = catalog.match("POST", "/topics/a%2Fb%2F%24aws");

    assertThat(matches)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.route().operation()).isEqualTo("Publish");
              assertThat(m.route().service()).isEqualTo(RestService.IOT_DATA);
              assertThat(m.labels()).containsExactly(Map.entry("topic", "a/b/$aws"));
            });
  }

  @Test
  void unencodedSlash_isAnotherPathAndMatchesNothing() {
    assertThat(catalog.match("POST", "/topics/a/b")).isEmpty();
  }

  @Test
  void labels_areDecodedIncludingColonsAndUtf8() {
    List<RouteMatch> matches = catalog.match("GET", "/things/my%3Athing%20%C3%A9");

    assertThat(matches)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.route().operation()).isEqualTo("DescribeThing");
              assertThat(m.labels()).containsEntry("thingName", "my:thing é");
            });
  }

  @Test
  void greedyLabel_takesTheRestOfThePathWithSlashes() {
    List<RouteMatch> raw =
        catalog.match("GET", "/destinations/arn:aws:iot:us-east-1:1:ruledestination/http/abc");
    List<RouteMatch> encoded =
        catalog.match(
            "GET", "/destinations/arn%3Aaws%3Aiot%3Aus-east-1%3A1%3Aruledestination%2Fhttp%2Fabc");

    for (List<RouteMatch> matches : List.of(raw, encoded)) {
      assertThat(matches)
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.route().operation()).isEqualTo("GetTopicRuleDestination");
                assertThat(m.labels())
                    .containsEntry("arn", "arn:aws:iot:us-east-1:1:ruledestination/http/abc");
              });
    }
    assertThat(catalog.match("GET", "/destinations"))
        .singleElement()
        .satisfies(m -> assertThat(m.route().operation()).isEqualTo("ListTopicRuleDestinations"));
    assertThat(catalog.match("GET", "/destinations/")).isEmpty();
  }

  @Test
  void literalNext_matchesBothSpellings() {
    for (String path : List.of("/things/t1/jobs/$next", "/things/t1/jobs/%24next")) {
      assertThat(catalog.match("PUT", path))
          .as(path)
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.route().operation()).isEqualTo("StartNextPendingJobExecution");
                assertThat(m.labels()).containsExactly(Map.entry("thingName", "t1"));
              });
    }
  }

  @Test
  void jobIdNext_isALabelOfDescribeJobExecutionInEitherSpelling() {
    for (String path : List.of("/things/t1/jobs/$next", "/things/t1/jobs/%24next")) {
      assertThat(catalog.match("GET", path))
          .as(path)
          .hasSize(2)
          .allSatisfy(
              m -> {
                assertThat(m.route().operation()).isEqualTo("DescribeJobExecution");
                assertThat(m.labels()).containsEntry("jobId", "$next");
              });
    }
  }

  @Test
  void theThreeSharedRoutes_matchBothServices() {
    assertThat(catalog.match("GET", "/things/t/jobs/j"))
        .extracting(m -> m.route().service() + ":" + m.route().operation())
        .containsExactlyInAnyOrder(
            "IOT:DescribeJobExecution", "IOT_JOBS_DATA:DescribeJobExecution");
    assertThat(catalog.match("GET", "/things/t/jobs"))
        .extracting(m -> m.route().service() + ":" + m.route().operation())
        .containsExactlyInAnyOrder(
            "IOT:ListJobExecutionsForThing", "IOT_JOBS_DATA:GetPendingJobExecutions");
    assertThat(catalog.match("POST", "/command-executions"))
        .extracting(m -> m.route().service() + ":" + m.route().operation())
        .containsExactlyInAnyOrder(
            "IOT:ListCommandExecutions", "IOT_JOBS_DATA:StartCommandExecution");
  }

  @Test
  void methodAndEmptyLabels_mustMatch() {
    assertThat(catalog.match("PATCH", "/things/t1"))
        .extracting(m -> m.route().operation())
        .containsExactly("UpdateThing");
    assertThat(catalog.match("TRACE", "/things/t1")).isEmpty();
    assertThat(catalog.match("GET", "/things//jobs")).isEmpty();
    assertThat(catalog.match("GET", "/no/such/thing")).isEmpty();
  }

  @Test
  void literalSegment_winsOverALabelInTheSamePlace() throws Exception {
    RouteCatalog small =
        RouteCatalog.parse(
            new BufferedReader(
                new StringReader(
                    "service\toperation\tmethod\trequestUri\tpriority\n"
                        + "iot\tByName\tGET\t/a/{name}\tP0\n"
                        + "iot\tFixed\tGET\t/a/fixed\tP0\n")));

    assertThat(small.match("GET", "/a/fixed"))
        .extracting(m -> m.route().operation())
        .containsExactly("Fixed");
    assertThat(small.match("GET", "/a/other"))
        .extracting(m -> m.route().operation())
        .containsExactly("ByName");
  }

  @Test
  void templates_withPartialLabelsOrInnerGreedyLabels_areRefused() {
    assertThatThrownBy(() -> PathTemplate.parse("/a/x{name}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PathTemplate.parse("/a/{rest+}/b"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
