package io.pylon.server.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority: its certificate and private key, and the issuing of device and server
 * certificates. Keys are RSA 2048 and signatures SHA-256, which every device TLS stack accepts.
 */
public final class CertificateAuthority {

  /**
   * Certificates start an hour in the past so that a device whose clock lags still accepts them.
   */
  private static final Duration BACKDATE = Duration.ofHours(1);

  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  /**
   * @throws IllegalArgumentException when the certificate is not a CA or the key is not its key
   */
  public CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = Objects.requireNonNull(certificate, "certificate");
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    if (certificate.getBasicConstraints() < 0) {
      throw new IllegalArgumentException(
          "the certificate is not a CA certificate (basicConstraints CA:false)");
    }
    if (!Certificates.keysMatch(certificate.getPublicKey(), privateKey)) {
      throw new IllegalArgumentException("the private key does not belong to the certificate");
    }
  }

  /** A new self-signed root CA allowed to sign certificates, not intermediate CAs. */
  public static CertificateAuthority createRoot(String commonName, Duration validity) {
    KeyPair keys = Certificates.newRsaKeyPair();
    X500Name subject = name(commonName);
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject,
            Certificates.newSerial(),
            Date.from(now.minus(BACKDATE)),
            Date.from(now.plus(validity)),
            subject,
            keys.getPublic());
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(keys.getPublic()));
      return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create a root CA", e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  /** A device certificate (EKU clientAuth) with a new key pair, subject {@code CN=commonName}. */
  public IssuedCertificate issueClientCertificate(String commonName, Duration validity) {
    KeyPair keys = Certificates.newRsaKeyPair();
    return new IssuedCertificate(
        issue(name(commonName), keys.getPublic(), validity, KeyPurposeId.id_kp_clientAuth, null),
        keys);
  }

  /**
   * A device certificate (EKU clientAuth) for a key pair its holder keeps (a verified CSR, or a key
   * made elsewhere), subject {@code CN=commonName}.
   */
  public X509Certificate issueClientCertificate(
      String commonName, PublicKey publicKey, Duration validity) {
    return issue(name(commonName), publicKey, validity, KeyPurposeId.id_kp_clientAuth, null);
  }

  /**
   * A TLS server certificate (EKU serverAuth) with a new key pair, valid for {@code names}: DNS
   * names (a leading {@code *.} is a wildcard) and IP addresses, in that order in the SAN
   * extension.
   */
  public IssuedCertificate issueServerCertificate(
      String commonName, List<String> names, Duration validity) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a server certificate needs at least one name");
    }
    List<GeneralName> sans = new ArrayList<>();
    for (String n : names) {
      sans.add(
          Certificates.isIpLiteral(n)
              ? new GeneralName(GeneralName.iPAddress, n)
              : new GeneralName(GeneralName.dNSName, n));
    }
    KeyPair keys = Certificates.newRsaKeyPair();
    GeneralNames altNames = new GeneralNames(sans.toArray(GeneralName[]::new));
    return new IssuedCertificate(
        issue(
            name(commonName), keys.getPublic(), validity, KeyPurposeId.id_kp_serverAuth, altNames),
        keys);
  }

  /** Whether this CA signed {@code certificate}. */
  public boolean issued(X509Certificate certificate) {
    return Certificates.isSignedBy(certificate, this.certificate);
  }

  private X509Certificate issue(
      X500Name subject,
      PublicKey publicKey,
      Duration validity,
      KeyPurposeId purpose,
      GeneralNames sans) {
    Instant now = Instant.now();
    BigInteger serial = Certificates.newSerial();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            certificate,
            serial,
            Date.from(now.minus(BACKDATE)),
            Date.from(now.plus(validity)),
            subject,
            publicKey);
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
      if (sans != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, sans);
      }
      return sign(builder, privateKey);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder(signatureAlgorithm(key)).build(key)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static String signatureAlgorithm(PrivateKey key) {
    return "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }
}
