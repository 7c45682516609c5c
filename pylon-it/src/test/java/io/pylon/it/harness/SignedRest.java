package io.pylon.it.harness;

import static io.pylon.it.harness.PylonServerExtension.HTTPS;

import io.pylon.http.sigv4.AwsCredentials;
import io.pylon.http.sigv4.SigV4Headers;
import io.pylon.http.sigv4.SigV4Signer;
import io.pylon.server.credentials.AdminCredentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * SigV4-signed REST calls to a running Pylon with its admin credentials, for the operations the AWS
 * CLI cannot make: Pylon's own extensions of the API.
 */
public final class SignedRest {

  /** Status and body of a response. */
  public record Response(int status, String body) {}

  private final HttpClient client;
  private final int port;
  private final String region;
  private final AwsCredentials credentials;

  private SignedRest(HttpClient client, int port, String region, AwsCredentials credentials) {
    this.client = client;
    this.port = port;
    this.region = region;
    this.credentials = credentials;
  }

  public static SignedRest of(PylonServerExtension pylon) {
    AdminCredentials admin = pylon.server().credentials();
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(Tls.context(pylon.caFile(), null))
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    return new SignedRest(
        client,
        pylon.port(HTTPS),
        pylon.server().config().aws().region(),
        new AwsCredentials(admin.accessKeyId(), admin.secretAccessKey()));
  }

  /** POSTs a JSON body to {@code path}, signed for the iot service. */
  public Response post(String path, String json) throws Exception {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String host = "127.0.0.1:" + port;
    SigV4Signer.SignedRequest signed =
        new SigV4Signer()
            .sign(
                "POST",
                path,
                "",
                SigV4Headers.of("host", host, "content-type", "application/json"),
                body,
                credentials,
                region,
                "iot",
                Instant.now());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("https://" + host + path))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, String> h : signed.headers().entries()) {
      if (!h.getKey().equalsIgnoreCase("host")) {
        request.header(h.getKey(), h.getValue());
      }
    }
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.body());
  }
}
