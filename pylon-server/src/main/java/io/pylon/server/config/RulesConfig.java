package io.pylon.server.config;

import io.pylon.http.sigv4.AwsCredentials;
import io.pylon.server.rules.RuleSettings;
import io.pylon.server.rules.outbound.LambdaEndpoint;
import io.pylon.server.rules.outbound.OutboundSettings;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules engine's settings, {@code rules.*}.
 *
 * @param engine evaluation threads and queue, and the bounds of every action's lane
 * @param http timeouts, retries and bounds of the outbound HTTP calls of http and lambda actions
 * @param httpSigningKeys the keys http actions with {@code auth.sigv4} sign with (AWS assumes the
 *     action's role; Pylon has no IAM roles); empty: such actions fail, saying so
 * @param httpCaFile a PEM file of CA certificates trusted for https action URLs besides the JVM's
 * @param lambda where lambda actions invoke functions; empty: lambda actions fail, saying so
 */
public record RulesConfig(
    RuleSettings engine,
    OutboundSettings http,
    Optional<AwsCredentials> httpSigningKeys,
    Optional<Path> httpCaFile,
    Optional<LambdaEndpoint> lambda) {

  public RulesConfig {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(httpSigningKeys, "httpSigningKeys");
    Objects.requireNonNull(httpCaFile, "httpCaFile");
    Objects.requireNonNull(lambda, "lambda");
  }

  /** The defaults: AWS's HTTP timeouts and retries, no signing keys, no Lambda endpoint. */
  public static RulesConfig defaults() {
    return new RulesConfig(
        RuleSettings.defaults(),
        OutboundSettings.defaults(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }
}
