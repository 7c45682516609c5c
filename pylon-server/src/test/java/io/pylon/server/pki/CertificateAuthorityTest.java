package io.pylon.server.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {

  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static CertificateAuthority ca;

  @BeforeAll
  static void createCa() {
    ca = CertificateAuthority.createRoot("Test Root", Duration.ofDays(30));
  }

  @Test
  void issuesDeviceCertificatesWithClientAuth() throws Exception {
    IssuedCertificate issued = ca.issueClientCertificate("thing-1", Duration.ofDays(2));
    X509Certificate cert = issued.certificate();

    cert.verify(ca.certificate().getPublicKey());
    cert.checkValidity();
    assertThat(ca.issued(cert)).isTrue();
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=thing-1");
    assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(cert.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getNotAfter().toInstant())
        .isBetween(
            Instant.now().plus(Duration.ofDays(2)).minusSeconds(60),
            Instant.now().plus(Duration.ofDays(2)));
    assertThat(Certificates.keysMatch(cert.getPublicKey(), issued.keyPair().getPrivate())).isTrue();
    assertThat(cert.getSerialNumber())
        .isNotEqualTo(
            ca.issueClientCertificate("thing-1", Duration.ofDays(2))
                .certificate()
                .getSerialNumber());
  }

  @Test
  void pemHelpersRoundTrip() {
    IssuedCertificate issued = ca.issueClientCertificate("thing-2", Duration.ofDays(1));

    assertThat(issued.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(issued.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Pem.parseCertificate(issued.certificatePem())).isEqualTo(issued.certificate());
    assertThat(Pem.parsePrivateKey(issued.privateKeyPem()))
        .isEqualTo(issued.keyPair().getPrivate());
  }

  @Test
  void readsPkcs1KeysAndRejectsEncryptedOnes() throws Exception {
    IssuedCertificate issued = ca.issueClientCertificate("thing-3", Duration.ofDays(1));
    // PKCS#8 wraps the PKCS#1 RSAPrivateKey; for a 2048-bit key it starts 26 bytes in.
    byte[] pkcs8 = issued.keyPair().getPrivate().getEncoded();
    byte[] pkcs1 = java.util.Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
    String pkcs1Pem =
        "-----BEGIN RSA PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs1)
            + "\n-----END RSA PRIVATE KEY-----\n";
    assertThat(
            Certificates.keysMatch(
                issued.certificate().getPublicKey(), Pem.parsePrivateKey(pkcs1Pem)))
        .isTrue();

    String encrypted = encryptedPem(issued);
    assertThatThrownBy(() -> Pem.parsePrivateKey(encrypted))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("encrypted");
    assertThatThrownBy(() -> Pem.parsePrivateKey(issued.certificatePem()))
        .hasMessage("expected a PEM private key, found a certificate");
  }

  private static String encryptedPem(IssuedCertificate issued) throws Exception {
    var encryptor =
        new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder(
                org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC)
            .setProvider(
                new org.bouncycastle.jce.provider.BouncyCastleProvider()) // not registered globally
            .setPassword("secret".toCharArray())
            .build();
    var writer = new java.io.StringWriter();
    try (var pem = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(writer)) {
      pem.writeObject(
          new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(
              issued.keyPair().getPrivate(), encryptor));
    }
    return writer.toString();
  }

  @Test
  void issuesServerCertificatesForNamesAndAddresses() throws Exception {
    IssuedCertificate server =
        ca.issueServerCertificate(
            "localhost",
            List.of("localhost", "*.example.com", "10.1.2.3", "::1"),
            Duration.ofDays(1));

    assertThat(Certificates.subjectAltNames(server.certificate()))
        .containsExactly("dns:localhost", "dns:*.example.com", "ip:10.1.2.3", "ip:0:0:0:0:0:0:0:1");
    assertThat(server.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThatThrownBy(() -> ca.issueServerCertificate("x", List.of(), Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAKeyThatIsNotTheCertificatesOrACertificateThatIsNotACa() {
    CertificateAuthority other = CertificateAuthority.createRoot("Other", Duration.ofDays(1));
    assertThatThrownBy(() -> new CertificateAuthority(ca.certificate(), other.privateKey()))
        .hasMessage("the private key does not belong to the certificate");

    IssuedCertificate leaf = ca.issueClientCertificate("leaf", Duration.ofDays(1));
    assertThatThrownBy(
            () -> new CertificateAuthority(leaf.certificate(), leaf.keyPair().getPrivate()))
        .hasMessageContaining("not a CA certificate");
  }
}
