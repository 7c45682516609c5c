package io.pylon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pylon.http.sigv4.AwsCredentials;
import io.pylon.http.sigv4.SigV4Headers;
import io.pylon.http.sigv4.SigV4Signer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The few AWS IoT control-plane calls the rules scenario makes (topic rules, topic rule
 * destinations), SigV4-signed for service {@code iot} as the AWS CLI signs them, plus an unsigned
 * scrape of the server's Prometheus {@code /metrics}. Blocking: these calls happen before and after
 * the measured phase, never in it.
 */
final class IotRestClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final HttpClient client;
  private final String host;
  private final AwsCredentials credentials;
  private final String region;
  private final SigV4Signer signer = new SigV4Signer();

  /**
   * @param caFile PEM certificate(s) of the CA that signed the server's HTTPS certificate
   */
  IotRestClient(String host, int port, Path caFile, AwsCredentials credentials, String region)
      throws IOException {
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(trusting(caFile))
            .connectTimeout(TIMEOUT)
            .build();
    this.host = host + ":" + port;
    this.credentials = credentials;
    this.region = region;
  }

  void createTopicRule(String name, JsonNode payload) throws IOException {
    call("POST", "/rules/" + name, payload);
  }

  void deleteTopicRule(String name) throws IOException {
    call("DELETE", "/rules/" + name, null);
  }

  /** CreateTopicRuleDestination: the new destination's ARN (it starts IN_PROGRESS). */
  String createTopicRuleDestination(JsonNode request) throws IOException {
    JsonNode answer = call("POST", "/destinations", request);
    String arn = answer.path("topicRuleDestination").path("arn").asText("");
    if (arn.isEmpty()) {
      throw new IOException("CreateTopicRuleDestination answered without an ARN: " + answer);
    }
    return arn;
  }

  void confirmTopicRuleDestination(String token) throws IOException {
    call("GET", "/confirmdestination/" + encode(token), null);
  }

  /** UpdateTopicRuleDestination to ENABLED (a confirmed destination starts DISABLED). */
  void enableTopicRuleDestination(String arn) throws IOException {
    call(
        "PATCH", "/destinations", JSON.createObjectNode().put("arn", arn).put("status", "ENABLED"));
  }

  void deleteTopicRuleDestination(String arn) throws IOException {
    call("DELETE", "/destinations/" + encode(arn), null);
  }

  /** The server's metrics in Prometheus text format. */
  String metrics() throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("https://" + host + "/metrics"))
            .timeout(TIMEOUT)
            .GET()
            .build();
    HttpResponse<String> response = send(request);
    if (response.statusCode() != 200) {
      throw new IOException("GET /metrics answered " + response.statusCode());
    }
    return response.body();
  }

  private JsonNode call(String method, String rawPath, JsonNode body) throws IOException {
    byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
    SigV4Headers headers =
        body == null
            ? SigV4Headers.of("host", host)
            : SigV4Headers.of("host", host, "content-type", "application/json");
    SigV4Signer.SignedRequest signed =
        signer.sign(method, rawPath, "", headers, bytes, credentials, region, "iot", Instant.now());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("https://" + host + rawPath))
            .timeout(TIMEOUT)
            .method(
                method,
                bytes.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(bytes));
    for (Map.Entry<String, String> h : signed.headers().entries()) {
      if (!h.getKey().equalsIgnoreCase("host")) {
        request.header(h.getKey(), h.getValue());
      }
    }
    HttpResponse<String> response = send(request.build());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          method + " " + rawPath + " answered " + response.statusCode() + ": " + response.body());
    }
    String text = response.body();
    return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while calling " + request.uri(), e);
    }
  }

  /** A path segment as botocore encodes it (':' and '/' too). */
  static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static SSLContext trusting(Path caFile) throws IOException {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int n = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + n++, c);
      }
      if (n == 0) {
        throw new IOException("no certificate in " + caFile);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot trust " + caFile + ": " + e.getMessage(), e);
    }
  }
}
