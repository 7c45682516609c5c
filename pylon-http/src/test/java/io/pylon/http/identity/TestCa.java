package io.pylon.http.identity;

import io.pylon.domain.identity.CertificateIssuer;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
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
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA for handler tests: issues certificates and writes PEM. */
final class TestCa implements CertificateIssuer {

  private static final SecureRandom RANDOM = new SecureRandom();

  final KeyPair keys = rsa();
  final X509Certificate certificate;
  private final String name;

  TestCa(String name) {
    this.name = name;
    this.certificate = build("CN=" + name, "CN=" + name, keys.getPublic(), true);
  }

  X509Certificate issue(String commonName) {
    return build("CN=" + name, "CN=" + commonName, rsa().getPublic(), false);
  }

  @Override
  public Issued issueWithNewKeyPair() {
    KeyPair pair = rsa();
    return new Issued(issue(pair.getPublic()), pair);
  }

  @Override
  public X509Certificate issue(PublicKey publicKey) {
    return build("CN=" + name, "CN=AWS IoT Certificate", publicKey, false);
  }

  @Override
  public boolean issued(X509Certificate c) {
    try {
      c.verify(keys.getPublic());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private X509Certificate build(String issuer, String subject, PublicKey key, boolean ca) {
    try {
      Instant now = Instant.now();
      var builder =
          new JcaX509v3CertificateBuilder(
              new X500Name(issuer),
              new BigInteger(64, RANDOM).setBit(0),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(1))),
              new X500Name(subject),
              key);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
