package io.pylon.server.identity;

import io.pylon.domain.identity.CaCertificate;
import io.pylon.domain.identity.CaCertificateService;
import io.pylon.domain.identity.CaCertificateStatus;
import io.pylon.domain.identity.Certificate;
import io.pylon.domain.identity.CertificateService;
import io.pylon.domain.identity.CertificateStatus;
import io.pylon.server.auth.CertificatePrincipal;
import io.pylon.server.pki.ClientCertificateCheck;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * AWS IoT's rule for a device certificate, checked in the TLS handshake and again at CONNECT: it
 * must be registered and ACTIVE, and a CA it was registered with must be ACTIVE. AWS fails the TLS
 * handshake for a certificate that is not (a deactivated certificate "will fail TLS negotiation",
 * aws/aws-iot-device-sdk-python#76); the CONNECT check catches a change between handshake and
 * CONNECT, refusing with CONNACK "not authorized".
 */
public final class DeviceCertificateCheck implements ClientCertificateCheck {

  private final CertificateService certificates;
  private final CaCertificateService caCertificates;

  public DeviceCertificateCheck(
      CertificateService certificates, CaCertificateService caCertificates) {
    this.certificates = certificates;
    this.caCertificates = caCertificates;
  }

  @Override
  public void check(X509Certificate[] chain) throws CertificateException {
    Optional<String> refusal = refusal(chain[0]);
    if (refusal.isPresent()) {
      throw new CertificateException(refusal.get());
    }
  }

  /** Why {@code certificate} may not connect, or empty when it may. Blocks on the store. */
  public Optional<String> refusal(X509Certificate certificate) {
    String id = CertificatePrincipal.certificateId(certificate);
    Optional<Certificate> registered = certificates.find(id);
    if (registered.isEmpty()) {
      return Optional.of("certificate " + id + " is not registered");
    }
    if (registered.get().status() != CertificateStatus.ACTIVE) {
      return Optional.of("certificate " + id + " is " + registered.get().status());
    }
    Optional<String> caId = registered.get().caCertificateId();
    if (caId.isPresent()) {
      Optional<CaCertificate> ca = caCertificates.find(caId.get());
      if (ca.isEmpty() || ca.get().status() != CaCertificateStatus.ACTIVE) {
        return Optional.of(
            "the CA certificate " + caId.get() + " of certificate " + id + " is not ACTIVE");
      }
    }
    return Optional.empty();
  }
}
