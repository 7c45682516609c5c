package io.pylon.server.shadow;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.identity.CertificateService;
import io.pylon.domain.identity.CertificateStatus;
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
import java.util.function.Function;

/**
 * REST shadow calls of devices (mutual TLS on the HTTPS listener), decided by the certificate's
 * effective IoT policies as AWS decides them: action {@code iot:GetThingShadow} etc. on {@code
 * arn:aws:iot:region:account:thing/T} (or {@code thing/T/S} for a named shadow). An HTTP request
 * has no MQTT client id and hence no attached thing, so only the certificate's variables are bound.
 * SigV4 callers hold the administrator's keys and may do anything.
 */
public final class ShadowPolicyCheck implements ShadowAuthorizer {

  private final AwsAccount account;
  private final Function<String, List<EffectivePolicy>> policiesOfCertificateArn;
  private final Function<String, Optional<X509Certificate>> activeCertificateById;
  private final String arnPrefix;

  /**
   * @param policiesOfCertificateArn the effective policies of a certificate, by ARN
   * @param activeCertificateById a registered ACTIVE certificate, by id (for the certificate policy
   *     variables); empty refuses the caller everything
   */
  public ShadowPolicyCheck(
      AwsAccount account,
      Function<String, List<EffectivePolicy>> policiesOfCertificateArn,
      Function<String, Optional<X509Certificate>> activeCertificateById) {
    this.account = account;
    this.policiesOfCertificateArn = policiesOfCertificateArn;
    this.activeCertificateById = activeCertificateById;
    this.arnPrefix = "arn:aws:iot:" + account.region() + ':' + account.accountId() + ':';
  }

  /** The check over the server's policy and certificate services. */
  public static ShadowPolicyCheck of(
      AwsAccount account, CertificateService certificates, PolicyService policies) {
    return new ShadowPolicyCheck(
        account,
        arn -> policies.effectivePolicies(arn, Optional.empty()),
        id ->
            certificates
                .find(id)
                .filter(c -> c.status() == CertificateStatus.ACTIVE)
                .flatMap(c -> parse(c.pem())));
  }

  @Override
  public boolean isAllowed(RestRequest.Caller caller, String action, String resource) {
    if (!(caller instanceof RestRequest.Caller.Certificate device)) {
      return true;
    }
    Optional<X509Certificate> certificate = activeCertificateById.apply(device.certificateId());
    if (certificate.isEmpty()) {
      return false;
    }
    List<EffectivePolicy> effective =
        policiesOfCertificateArn.apply(account.arn("cert", device.certificateId()));
    List<NamedPolicy> named = new ArrayList<>(effective.size());
    for (EffectivePolicy policy : effective) {
      named.add(new NamedPolicy(policy.name(), PolicyDocument.parse(policy.document())));
    }
    PolicyContext.Builder context = PolicyContext.builder().certificate(certificate.get());
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
