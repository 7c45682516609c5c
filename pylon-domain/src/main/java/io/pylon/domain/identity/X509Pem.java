package io.pylon.domain.identity;

import io.pylon.domain.error.CertificateValidationException;
import io.pylon.domain.error.InvalidRequestException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/** Reading and writing the PEM texts of the identity operations, failing with AWS's errors. */
final class X509Pem {

  /**
   * The signature algorithms AWS IoT accepts on registered certificates (JDK names, upper case).
   */
  private static final Set<String> ACCEPTED_SIGNATURES =
      Set.of(
          "SHA256WITHRSA",
          "SHA384WITHRSA",
          "SHA512WITHRSA",
          "RSASSA-PSS",
          "SHA256WITHDSA",
          "SHA256WITHECDSA",
          "SHA384WITHECDSA",
          "SHA512WITHECDSA");

  private X509Pem() {}

  /**
   * The first certificate of a PEM text.
   *
   * @param member the request member it came in, for the message
   * @throws CertificateValidationException when it is not a PEM X.509 certificate
   */
  static X509Certificate certificate(String member, String pem) {
    if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new CertificateValidationException(
          member + " is not a PEM certificate (no -----BEGIN CERTIFICATE----- line)");
    }
    try {
      String from = pem.substring(pem.indexOf("-----BEGIN CERTIFICATE-----"));
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(from.getBytes(StandardCharsets.UTF_8)));
    } catch (CertificateException | RuntimeException e) {
      throw new CertificateValidationException(
          member + " cannot be decoded as an X.509 certificate: " + e.getMessage());
    }
  }

  /** Refuses signature algorithms AWS IoT does not accept (SHA-1, MD5, ...). */
  static void checkSignatureAlgorithm(String member, X509Certificate certificate) {
    String algorithm = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
    if (!ACCEPTED_SIGNATURES.contains(algorithm)) {
      throw new CertificateValidationException(
          member
              + " is signed with "
              + certificate.getSigAlgName()
              + "; accepted are SHA-256/384/512 with RSA or ECDSA, and SHA-256 with DSA");
    }
  }

  /** The certificate id: lower-case hex SHA-256 of the DER encoding. */
  static String id(X509Certificate certificate) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint a certificate", e);
    }
  }

  /** Whether {@code certificate} carries a valid signature by {@code issuer}'s key. */
  static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
    if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      return false;
    }
    try {
      certificate.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  static Validity validity(X509Certificate certificate) {
    return new Validity(
        certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
  }

  /** The subject in RFC 2253 form, as stored for CA lookups by issuer. */
  static String subject(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
  }

  static String issuer(X509Certificate certificate) {
    return certificate.getIssuerX500Principal().getName(X500Principal.RFC2253);
  }

  /** The subject's first common name, if any. */
  static Optional<String> commonName(X509Certificate certificate) {
    try {
      LdapName name = new LdapName(subject(certificate));
      for (Rdn rdn : name.getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return Optional.of(rdn.getValue().toString());
        }
      }
      return Optional.empty();
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }

  static String certificatePem(X509Certificate certificate) {
    try {
      return pem("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode a certificate", e);
    }
  }

  /** A public key as AWS returns it: {@code PUBLIC KEY} (SubjectPublicKeyInfo). */
  static String publicKeyPem(PublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  /**
   * A private key as AWS returns it. AWS hands out PKCS#1 {@code RSA PRIVATE KEY}; PKCS#8 {@code
   * PRIVATE KEY} is what every TLS stack and the AWS SDKs also read, and needs no conversion.
   */
  static String privateKeyPem(Key key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  /**
   * The public key of a PEM certificate signing request whose signature verifies, refusing weak
   * keys as AWS does (RSA below 2048 bits, EC curves other than P-256/384/521).
   *
   * @throws InvalidRequestException when it is not a CSR, its signature does not verify or the key
   *     is refused
   */
  static PublicKey verifiedCsrKey(String pem) {
    Object parsed;
    try (PEMParser parser = new PEMParser(new StringReader(pem == null ? "" : pem))) {
      parsed = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new InvalidRequestException(
          "certificateSigningRequest is not a PEM certificate signing request: " + e.getMessage());
    }
    if (!(parsed instanceof PKCS10CertificationRequest csr)) {
      throw new InvalidRequestException(
          "certificateSigningRequest is not a PEM certificate signing request"
              + " (expected -----BEGIN CERTIFICATE REQUEST-----)");
    }
    PublicKey key;
    try {
      JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(csr);
      key = jca.getPublicKey();
      boolean valid = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
      if (!valid) {
        throw new InvalidRequestException(
            "the signature of certificateSigningRequest does not verify with its public key");
      }
    } catch (GeneralSecurityException | OperatorCreationException | PKCSException e) {
      throw new InvalidRequestException(
          "the signature of certificateSigningRequest cannot be verified: " + e.getMessage());
    }
    if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
      throw new InvalidRequestException(
          "the CSR's RSA key has "
              + rsa.getModulus().bitLength()
              + " bits; at least 2048 are required");
    }
    if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getOrder().bitLength();
      if (bits != 256 && bits != 384 && bits != 521) {
        throw new InvalidRequestException("the CSR's EC key must be on NIST P-256, P-384 or P-521");
      }
    } else if (!(key instanceof RSAPublicKey)) {
      throw new InvalidRequestException(
          "the CSR's key must be RSA (2048 bits or more) or EC; was " + key.getAlgorithm());
    }
    return key;
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
