package io.pylon.server.pki;

import io.pylon.server.config.HostNames;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Small X.509 helpers shared by the CA and the data directory. */
final class Certificates {

  static final SecureRandom RANDOM = new SecureRandom();

  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  private Certificates() {}

  static KeyPair newRsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has RSA", e);
    }
  }

  /** 159 random bits: positive, unique in practice, within the 20 octets RFC 5280 allows. */
  static BigInteger newSerial() {
    return new BigInteger(159, RANDOM).setBit(0);
  }

  /**
   * Whether {@code privateKey} belongs to {@code publicKey}, by signing and verifying a challenge.
   */
  static boolean keysMatch(PublicKey publicKey, PrivateKey privateKey) {
    if (!publicKey.getAlgorithm().equals(privateKey.getAlgorithm())) {
      return false;
    }
    String algorithm =
        switch (publicKey.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> null;
        };
    if (algorithm == null) {
      return false;
    }
    try {
      byte[] challenge = new byte[32];
      RANDOM.nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Whether {@code certificate} carries a valid signature by {@code issuer}'s key. */
  static boolean isSignedBy(X509Certificate certificate, X509Certificate issuer) {
    try {
      certificate.verify(issuer.getPublicKey());
      return certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * The subject alternative names, normalised as by {@link #normalisedName}, so that a configured
   * {@code ::1} matches the certificate's {@code 0:0:0:0:0:0:0:1}.
   */
  static Set<String> subjectAltNames(X509Certificate certificate) {
    Set<String> names = new LinkedHashSet<>();
    Collection<List<?>> entries;
    try {
      entries = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return names;
    }
    if (entries == null) {
      return names;
    }
    for (List<?> entry : entries) {
      int type = (Integer) entry.get(0);
      if (type == SAN_DNS || type == SAN_IP) {
        names.add(normalisedName((String) entry.get(1)));
      }
    }
    return names;
  }

  /** {@code ip:<canonical address>} for IP literals, {@code dns:<lower case>} for names. */
  static String normalisedName(String name) {
    Optional<InetAddress> ip = HostNames.ipLiteral(name);
    return ip.map(a -> "ip:" + a.getHostAddress())
        .orElseGet(() -> "dns:" + name.toLowerCase(Locale.ROOT));
  }

  static boolean isIpLiteral(String name) {
    return HostNames.ipLiteral(name).isPresent();
  }
}
