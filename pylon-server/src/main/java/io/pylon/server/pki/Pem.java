package io.pylon.server.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM text for certificates and private keys, in the forms AWS hands out and OpenSSL writes: X.509
 * {@code CERTIFICATE} blocks and unencrypted PKCS#8 {@code PRIVATE KEY} blocks (PKCS#1 {@code RSA
 * PRIVATE KEY} is read too, since operators may bring their own keys in that form).
 */
public final class Pem {

  private Pem() {}

  public static String certificate(X509Certificate certificate) {
    try {
      return write(new PemObject("CERTIFICATE", certificate.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode certificate", e);
    }
  }

  /** PKCS#8, unencrypted: the file system permissions protect it. */
  public static String privateKey(PrivateKey key) {
    return write(new PemObject("PRIVATE KEY", key.getEncoded()));
  }

  /**
   * The first certificate in {@code pem}.
   *
   * @throws IllegalArgumentException saying what is wrong with the text
   */
  public static X509Certificate parseCertificate(String pem) {
    Object object = readFirst(pem);
    if (!(object instanceof X509CertificateHolder holder)) {
      throw new IllegalArgumentException("expected a PEM certificate, found " + describe(object));
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("the certificate cannot be decoded: " + e.getMessage(), e);
    }
  }

  /**
   * Every certificate in {@code pem} (a CA bundle), in order.
   *
   * @throws IllegalArgumentException when there is none or one cannot be decoded
   */
  public static java.util.List<X509Certificate> parseCertificates(String pem) {
    try {
      java.util.List<X509Certificate> all = new java.util.ArrayList<>();
      for (java.security.cert.Certificate c :
          java.security.cert.CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new java.io.ByteArrayInputStream(
                      pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))) {
        all.add((X509Certificate) c);
      }
      if (all.isEmpty()) {
        throw new IllegalArgumentException("expected PEM certificates, found none");
      }
      return all;
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "the certificates cannot be decoded: " + e.getMessage(), e);
    }
  }

  /**
   * The first private key in {@code pem}.
   *
   * @throws IllegalArgumentException saying what is wrong with the text
   */
  public static PrivateKey parsePrivateKey(String pem) {
    Object object = readFirst(pem);
    try {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (object instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("the private key cannot be decoded: " + e.getMessage(), e);
    }
    if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
      throw new IllegalArgumentException(
          "the private key is encrypted; Pylon needs it unencrypted");
    }
    throw new IllegalArgumentException("expected a PEM private key, found " + describe(object));
  }

  private static Object readFirst(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      return parser.readObject();
    } catch (IOException | RuntimeException e) {
      // BouncyCastle reports bad base64 or DER as IOException or as one of several runtime
      // exceptions.
      throw new IllegalArgumentException("malformed PEM: " + e.getMessage(), e);
    }
  }

  private static String describe(Object object) {
    if (object == null) {
      return "no PEM block (no '-----BEGIN ...-----' line)";
    }
    if (object instanceof X509CertificateHolder) {
      return "a certificate";
    }
    if (object instanceof PrivateKeyInfo || object instanceof PEMKeyPair) {
      return "a private key";
    }
    return "a " + object.getClass().getSimpleName();
  }

  private static String write(PemObject object) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }
}
