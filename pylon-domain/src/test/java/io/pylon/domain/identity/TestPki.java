package io.pylon.domain.identity;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Small CAs, certificates and CSRs for the identity tests. */
final class TestPki {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A CA: certificate plus key pair. */
  record Ca(X509Certificate certificate, KeyPair keys) {

    static Ca create(String commonName) {
      KeyPair keys = rsa();
      return new Ca(build(commonName, commonName, keys.getPublic(), keys, true, validNow()), keys);
    }

    X509Certificate issue(String commonName) {
      return build(
          certificate.getSubjectX500Principal().getName(),
          commonName,
          rsa().getPublic(),
          keys,
          false,
          validNow());
    }

    X509Certificate issueExpired(String commonName) {
      Instant past = Instant.parse("2020-01-01T00:00:00Z");
      return build(
          certificate.getSubjectX500Principal().getName(),
          commonName,
          rsa().getPublic(),
          keys,
          false,
          new Instant[] {past, past.plus(Duration.ofDays(1))});
    }

    String pem() {
      return TestPki.pem(certificate);
    }
  }

  /** An issuer over a test CA, standing in for the server's root CA. */
  record Issuer(Ca ca) implements CertificateIssuer {

    @Override
    public Issued issueWithNewKeyPair() {
      KeyPair keys = rsa();
      return new Issued(issue(keys.getPublic()), keys);
    }

    @Override
    public X509Certificate issue(PublicKey publicKey) {
      return build(
          ca.certificate().getSubjectX500Principal().getName(),
          "AWS IoT Certificate",
          publicKey,
          ca.keys(),
          false,
          validNow());
    }

    @Override
    public boolean issued(X509Certificate certificate) {
      return X509Pem.signedBy(certificate, ca.certificate());
    }
  }

  static X509Certificate selfSigned(String commonName) {
    KeyPair keys = rsa();
    return build(commonName, commonName, keys.getPublic(), keys, false, validNow());
  }

  static String csr(KeyPair keys, String commonName) {
    return csr(keys, keys, commonName);
  }

  /** A CSR for {@code subject}'s public key signed by {@code signer} (a forgery unless equal). */
  static String csr(KeyPair subject, KeyPair signer, String commonName) {
    try {
      PKCS10CertificationRequest request =
          new JcaPKCS10CertificationRequestBuilder(
                  new X500Name("CN=" + commonName), subject.getPublic())
              .build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate()));
      StringWriter out = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
        writer.writeObject(request);
      }
      return out.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(X509Certificate certificate) {
    return X509Pem.certificatePem(certificate);
  }

  static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Instant[] validNow() {
    Instant now = Instant.now();
    return new Instant[] {now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1))};
  }

  private static X509Certificate build(
      String issuer,
      String commonName,
      PublicKey subjectKey,
      KeyPair signer,
      boolean ca,
      Instant[] validity) {
    try {
      X500Name issuerName =
          issuer.contains("=") ? new X500Name(issuer) : new X500Name("CN=" + issuer);
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuerName,
              new BigInteger(64, RANDOM).setBit(0),
              Date.from(validity[0]),
              Date.from(validity[1]),
              new X500Name("CN=" + commonName),
              subjectKey);
      builder.addExtension(
          Extension.basicConstraints,
          true,
          ca ? new BasicConstraints(0) : new BasicConstraints(false));
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
