package io.pylon.server.rules.outbound;

import io.pylon.http.sigv4.AwsCredentials;
import java.net.URI;
import java.util.Objects;

/**
 * Where the lambda action sends invocations: AWS Lambda itself, or anything speaking the Lambda
 * Invoke API (a local runtime such as {@code sam local start-lambda}).
 *
 * @param baseUri e.g. {@code http://127.0.0.1:3001} or {@code
 *     https://lambda.us-east-1.amazonaws.com}; a path is kept as a prefix
 * @param region SigV4 signing region
 * @param credentials null to send unsigned requests (local runtimes do not check signatures)
 */
public record LambdaEndpoint(URI baseUri, String region, AwsCredentials credentials) {

  public LambdaEndpoint {
    Objects.requireNonNull(baseUri, "baseUri");
    Objects.requireNonNull(region, "region");
    String scheme = baseUri.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("a Lambda endpoint must be an http or https URL");
    }
    if (baseUri.getHost() == null || baseUri.getRawQuery() != null) {
      throw new IllegalArgumentException("a Lambda endpoint needs a host and no query");
    }
  }

  /** AWS Lambda's public endpoint in {@code region}, signed with {@code credentials}. */
  public static LambdaEndpoint aws(String region, AwsCredentials credentials) {
    return new LambdaEndpoint(
        URI.create("https://lambda." + region + ".amazonaws.com"),
        region,
        Objects.requireNonNull(credentials, "credentials"));
  }
}
