package io.pylon.server.rules.outbound;

import io.pylon.server.rules.outbound.OutboundResult.Failed;
import io.pylon.server.rules.outbound.OutboundResult.Reason;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The lambda action: an asynchronous Lambda Invoke ({@code InvocationType=Event}), as AWS IoT does
 * it, over {@link OutboundHttp} (so with its timeout, retries on 429/5xx and limits). Lambda
 * answers 202 once the event is queued.
 *
 * <p>Request shape from the Lambda API model (2015-03-31, operation {@code Invoke}): {@code POST
 * /2015-03-31/functions/{FunctionName}/invocations}, the label percent-encoded as the AWS SDKs do
 * (so {@code :} of an ARN becomes {@code %3A}), header {@code X-Amz-Invocation-Type: Event}, the
 * payload as the body, SigV4 with signing name {@code lambda}.
 */
public final class LambdaInvoker {

  private static final String API_PATH = "/2015-03-31/functions/";

  private final OutboundHttp http;
  private final LambdaEndpoint endpoint;

  public LambdaInvoker(OutboundHttp http, LambdaEndpoint endpoint) {
    this.http = Objects.requireNonNull(http, "http");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
  }

  /**
   * Invokes {@code functionArnOrName} (a name, a partial or full ARN, with or without a version or
   * alias, passed to Lambda unchanged) with {@code payload}.
   */
  public CompletionStage<OutboundResult> invoke(String functionArnOrName, byte[] payload) {
    if (functionArnOrName == null || functionArnOrName.isEmpty()) {
      return CompletableFuture.completedFuture(
          new Failed(
              "invalid request: no Lambda function given",
              Reason.INVALID_REQUEST,
              OptionalInt.empty(),
              0));
    }
    return http.send(
        new OutboundRequest(
            "POST",
            invocationUri(functionArnOrName),
            List.of(
                Map.entry("X-Amz-Invocation-Type", "Event"),
                Map.entry("Content-Type", "application/json")),
            payload == null ? new byte[0] : payload,
            Optional.ofNullable(endpoint.credentials())
                .map(c -> new SigV4Signing(endpoint.region(), "lambda", c))));
  }

  URI invocationUri(String function) {
    String base = endpoint.baseUri().toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + API_PATH + percentEncode(function) + "/invocations");
  }

  /** RFC 3986 encoding of a path label: everything but unreserved characters, as botocore does. */
  static String percentEncode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)));
        out.append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
