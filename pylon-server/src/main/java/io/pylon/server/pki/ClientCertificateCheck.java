package io.pylon.server.pki;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * A check of a client certificate beyond the chain to a trusted CA, run in the TLS handshake after
 * PKIX validation succeeded: AWS IoT also requires the certificate to be registered and ACTIVE, and
 * fails the handshake otherwise. May block briefly (a store lookup): the listeners run handshake
 * tasks off the event loops.
 */
@FunctionalInterface
public interface ClientCertificateCheck {

  /**
   * @param chain the client's chain, leaf first, already validated
   * @throws CertificateException to fail the handshake (the client gets a certificate_unknown
   *     alert)
   */
  void check(X509Certificate[] chain) throws CertificateException;

  /** Accepts every validated chain. */
  ClientCertificateCheck NONE = chain -> {};
}
