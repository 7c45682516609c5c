package io.pylon.it.harness;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A device identity (certificate and key) written in every form a client library wants: PEM
 * certificate and PKCS#8 key (AWS SDK, mosquitto), PKCS#12 and JKS key stores (JDK clients).
 */
public final class Device {

  public static final char[] PASSWORD = "changeit".toCharArray();

  private final String name;
  private final X509Certificate certificate;
  private final KeyPair keyPair;
  private final Path caFile;
  private final Path certificatePem;
  private final Path privateKeyPem;
  private final Path pkcs12;
  private final Path jks;

  /**
   * @param caFile the CA clients trust (the server's {@code caFile()})
   * @param dir where to write the files
   */
  public Device(String name, X509Certificate certificate, KeyPair keyPair, Path caFile, Path dir) {
    this.name = name;
    this.certificate = certificate;
    this.keyPair = keyPair;
    this.caFile = caFile;
    try {
      Files.createDirectories(dir);
      certificatePem = dir.resolve(name + ".cert.pem");
      privateKeyPem = dir.resolve(name + ".key.pem");
      pkcs12 = dir.resolve(name + ".p12");
      jks = dir.resolve(name + ".jks");
      Files.writeString(
          certificatePem, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
      Files.writeString(
          privateKeyPem,
          pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()),
          StandardCharsets.US_ASCII);
      store("PKCS12", pkcs12);
      store("JKS", jks);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot write the files of device " + name, e);
    }
  }

  /**
   * A device from the PEM texts a user is handed, e.g. by {@code aws iot
   * create-keys-and-certificate}: the certificate and its private key (PKCS#8 {@code PRIVATE KEY}
   * or PKCS#1 {@code RSA PRIVATE KEY}, as AWS returns).
   */
  public static Device fromPem(
      String name, String certificatePem, String privateKeyPem, Path caFile, Path dir) {
    try {
      X509Certificate certificate =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
      PrivateKey privateKey;
      try (PEMParser parser = new PEMParser(new StringReader(privateKeyPem))) {
        Object parsed = parser.readObject();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (parsed instanceof PEMKeyPair pair) {
          privateKey = converter.getPrivateKey(pair.getPrivateKeyInfo());
        } else if (parsed instanceof PrivateKeyInfo info) {
          privateKey = converter.getPrivateKey(info);
        } else {
          throw new IllegalArgumentException("not a PEM private key: " + parsed);
        }
      }
      return new Device(
          name, certificate, new KeyPair(certificate.getPublicKey(), privateKey), caFile, dir);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the PEM identity of device " + name, e);
    }
  }

  /**
   * A device with a self-signed client certificate (RSA 2048), as a device without any CA would
   * make; {@code caFile} is the CA it trusts, {@code dir} where its files go.
   */
  public static Device selfSigned(String name, Path caFile, Path dir) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair keys = generator.generateKeyPair();
      X500Name subject = new X500Name("CN=" + name);
      Instant now = Instant.now();
      var builder =
          new JcaX509v3CertificateBuilder(
              subject,
              BigInteger.valueOf(now.toEpochMilli()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(1))),
              subject,
              keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
      return new Device(name, certificate, keys, caFile, dir);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void store(String type, Path file) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(type);
    store.load(null, null);
    store.setKeyEntry(name, keyPair.getPrivate(), PASSWORD, new Certificate[] {certificate});
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, PASSWORD);
    }
  }

  static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  public String name() {
    return name;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public Path certificatePem() {
    return certificatePem;
  }

  public Path privateKeyPem() {
    return privateKeyPem;
  }

  public Path pkcs12() {
    return pkcs12;
  }

  public Path jks() {
    return jks;
  }

  public Path caFile() {
    return caFile;
  }

  /** The PKCS#12 store, loaded. */
  public KeyStore keyStore() {
    return load("PKCS12", pkcs12);
  }

  /** The JKS store, loaded. */
  public KeyStore jksKeyStore() {
    return load("JKS", jks);
  }

  private static KeyStore load(String type, Path file) {
    try (var in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, PASSWORD);
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot load " + file, e);
    }
  }

  /** A key manager factory over the PKCS#12 file. */
  public KeyManagerFactory keyManagerFactory() {
    return keyManagerFactory(keyStore());
  }

  public static KeyManagerFactory keyManagerFactory(KeyStore store) {
    try {
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, PASSWORD);
      return factory;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public KeyManager[] keyManagers() {
    return keyManagerFactory().getKeyManagers();
  }

  /** A client context presenting this device and trusting the server's CA. */
  public SSLContext sslContext() {
    return Tls.context(caFile, keyManagers());
  }
}
