package io.pylon.http.endpoint;

import io.pylon.domain.error.InvalidRequestException;
import io.pylon.http.rest.RestApi;
import io.pylon.http.rest.RestJson;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import java.util.Set;
import java.util.function.Supplier;

/**
 * DescribeEndpoint: where devices and SDKs should connect. AWS gives each endpoint type its own
 * host name; Pylon serves them all on one host, so every type answers the same address.
 */
public final class EndpointApi implements RestApi {

  /** iot:Data is the legacy VeriSign-signed endpoint, and what AWS answers without a type. */
  static final Set<String> ENDPOINT_TYPES =
      Set.of("iot:Data", "iot:Data-ATS", "iot:CredentialProvider", "iot:Jobs");

  private final Supplier<String> address;

  /**
   * @param address the endpoint address ({@code host} or {@code host:port}); asked at each call
   *     because the HTTPS port is only known once the listener is bound
   */
  public EndpointApi(Supplier<String> address) {
    this.address = address;
  }

  @Override
  public void register(Operations operations) {
    operations.on("iot", "DescribeEndpoint", this::describeEndpoint);
  }

  RestResponse describeEndpoint(RestRequest request) {
    String type = request.query("endpointType").orElse("iot:Data");
    if (!ENDPOINT_TYPES.contains(type)) {
      throw new InvalidRequestException(
          "endpointType must be one of iot:Data, iot:Data-ATS, iot:CredentialProvider or"
              + " iot:Jobs, was '"
              + type
              + "'");
    }
    return RestResponse.json(RestJson.object().put("endpointAddress", address.get()));
  }

  /**
   * The address clients should use: {@code host} when HTTPS is on 443 as on AWS, else {@code
   * host:port}, so that {@code --endpoint-url https://<address>} reaches this server.
   *
   * @param host the first configured server name, or a loopback address
   * @param httpsPort the HTTPS listener's port, or a negative number when it is disabled
   */
  public static String address(String host, int httpsPort) {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    if (httpsPort <= 0 || httpsPort == 443) {
      return host;
    }
    return h + ":" + httpsPort;
  }
}
