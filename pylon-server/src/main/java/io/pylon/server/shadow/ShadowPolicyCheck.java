package io.pylon.server.shadow;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.identity.CertificateService;
import io.pylon.domain.policy.EffectivePolicy;
import io.pylon.domain.policy.PolicyService;
import io.pylon.domain.policy.language.NamedPolicy;
import io.pylon.domain.policy.language.PolicyContext;
import io.pylon.domain.policy.language.PolicyDocument;
import io.pylon.domain.policy.language.PolicyEvaluator;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.shadow.ShadowAuthorizer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * REST shadow calls of devices (mutual TLS on the HTTPS listener), decided by the certificate's
 * effective IoT policies as AWS decides them: action {@code iot:GetThingShadow} etc. on {@code
 * arn:aws:iot:region:account:thing/T} (or {@code thing/T/S} for a named shadow). An HTTP request
 * has no MQTT client id and hence no attached thing, so only the certificate's variables are bound.
 * SigV4 callers hold the administrator's keys and may do anything.
 */
public final class ShadowPolicyCheck implements ShadowAuthorizer {

  private final AwsAccount account;
  private final CertificateService certificates;
  private final PolicyService policies;
  private final String arnPrefix;

  public ShadowPolicyCheck(
      AwsAccount account, CertificateService certificates, PolicyService policies) {
    this.account = account;
    this.certificates = certificates;
    this.policies = policies;
    this.arnPrefix = "arn:aws:iot:" + account.region() + ':' + account.accountId() + ':';
  }

  @Override
  public boolean isAllowed(RestRequest.Caller caller, String action, String resource) {
    if (!(caller instanceof RestRequest.Caller.Certificate device)) {
      return true;
    }
    String certificateArn = account.arn("cert", device.certificateId());
    List<EffectivePolicy> effective = policies.effectivePolicies(certificateArn, Optional.empty());
    List<NamedPolicy> named = new ArrayList<>(effective.size());
    for (EffectivePolicy policy : effective) {
      named.add(new NamedPolicy(policy.name(), PolicyDocument.parse(policy.document())));
    }
    PolicyContext.Builder context = PolicyContext.builder();
    certificates
        .find(device.certificateId())
        .flatMap(c -> parse(c.pem()))
        .ifPresent(context::certificate);
    return PolicyEvaluator.prepare(named, context.build()).allows(action, arnPrefix + resource);
  }

  private static Optional<X509Certificate> parse(String pem) {
    try {
      return Optional.of(
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
    } catch (GeneralSecurityException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
