package io.pylon.http.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.error.InvalidRequestException;
import io.pylon.http.rest.RestOperation;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointApiTest {

  private final EndpointApi api = new EndpointApi(() -> "iot.example.com:8443");

  private static RestRequest request(Map<String, List<String>> query) {
    return new RestRequest(
        "DescribeEndpoint",
        new RestRequest.Caller.SigV4("AKID", "us-east-1"),
        Map.of(),
        query,
        Map.of(),
        new byte[0]);
  }

  @Test
  void registersDescribeEndpointOfTheControlPlane() {
    Map<String, RestOperation> registered = new HashMap<>();
    api.register(
        (service, operation, handler) -> registered.put(service + ":" + operation, handler));

    assertThat(registered).containsOnlyKeys("iot:DescribeEndpoint");
  }

  @Test
  void everyEndpointType_andNone_answerTheServerAddress() {
    for (String type : List.of("iot:Data", "iot:Data-ATS", "iot:CredentialProvider", "iot:Jobs")) {
      RestResponse response = api.describeEndpoint(request(Map.of("endpointType", List.of(type))));
      assertThat(new String(response.body(), StandardCharsets.UTF_8))
          .as(type)
          .isEqualTo("{\"endpointAddress\":\"iot.example.com:8443\"}");
    }
    assertThat(api.describeEndpoint(request(Map.of())).status()).isEqualTo(200);
  }

  @Test
  void unknownEndpointType_isAnInvalidRequest() {
    assertThatThrownBy(
            () -> api.describeEndpoint(request(Map.of("endpointType", List.of("iot:Nope")))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("iot:Nope");
  }

  @Test
  void address_omitsOnlyTheDefaultHttpsPort() {
    assertThat(EndpointApi.address("iot.example.com", 443)).isEqualTo("iot.example.com");
    assertThat(EndpointApi.address("iot.example.com", 8443)).isEqualTo("iot.example.com:8443");
    assertThat(EndpointApi.address("127.0.0.1", 40123)).isEqualTo("127.0.0.1:40123");
    assertThat(EndpointApi.address("::1", 8443)).isEqualTo("[::1]:8443");
    assertThat(EndpointApi.address("iot.example.com", -1)).isEqualTo("iot.example.com");
  }
}
