package io.pylon.server.rules.outbound;

import io.pylon.http.sigv4.AwsCredentials;
import java.util.Objects;

/**
 * Sign an {@link OutboundRequest} with SigV4 (header form), as the http action's {@code auth.sigv4}
 * and the lambda action do.
 *
 * @param region the signing region ({@code signingRegion} of the action)
 * @param service the signing name ({@code serviceName} of the action, {@code lambda} for Lambda)
 */
public record SigV4Signing(String region, String service, AwsCredentials credentials) {

  public SigV4Signing {
    requireScopePart(region, "region");
    requireScopePart(service, "service");
    Objects.requireNonNull(credentials, "credentials");
  }

  private static void requireScopePart(String value, String what) {
    if (value == null || value.isEmpty() || value.contains("/")) {
      throw new IllegalArgumentException(what + " must be non-empty and contain no '/'");
    }
  }
}
