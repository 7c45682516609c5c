package io.pylon.server.pki;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate freshly issued together with its new key pair, as AWS's CreateKeysAndCertificate
 * returns it: the only moment the private key exists outside the holder's device.
 */
public record IssuedCertificate(X509Certificate certificate, KeyPair keyPair) {

  public IssuedCertificate {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(keyPair, "keyPair");
  }

  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  public String privateKeyPem() {
    return Pem.privateKey(keyPair.getPrivate());
  }
}
