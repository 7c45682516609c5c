package io.pylon.server.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {

  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final int KEY_CERT_SIGN = 5;

  @TempDir Path tmp;

  private Path dir() {
    return tmp.resolve("data");
  }

  @Test
  void firstOpenCreatesRootCaAndServerCertificate() throws Exception {
    try (DataDirectory data = DataDirectory.open(dir(), List.of("iot.example.com", "192.0.2.10"))) {
      assertThat(data.created()).isTrue();
      assertThat(data.root()).isEqualTo(dir().toAbsolutePath());
      assertThat(data.caCertificateFile())
          .isEqualTo(dir().resolve("ca/root-ca.pem"))
          .isRegularFile();
      assertThat(data.caKeyFile()).isEqualTo(dir().resolve("ca/root-ca.key")).isRegularFile();
      assertThat(data.serverCertificateFile())
          .isEqualTo(dir().resolve("tls/server.pem"))
          .isRegularFile();
      assertThat(data.serverKeyFile()).isEqualTo(dir().resolve("tls/server.key")).isRegularFile();
      assertThat(data.credentialsFile()).isEqualTo(dir().resolve("credentials")).doesNotExist();
      assertThat(data.databaseDirectory()).isEqualTo(dir().resolve("db"));

      X509Certificate ca = data.rootCa().certificate();
      assertThat(ca.getSubjectX500Principal().getName()).matches("CN=Pylon Root CA [0-9a-f]{8}");
      assertThat(ca.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
      ca.verify(ca.getPublicKey());
      assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
      assertThat(ca.getKeyUsage()[KEY_CERT_SIGN]).isTrue();
      assertThat(((RSAPublicKey) ca.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
      assertThat(Duration.between(Instant.now(), ca.getNotAfter().toInstant()))
          .isBetween(Duration.ofDays(3649), Duration.ofDays(3651));
      assertThat(Pem.parseCertificate(Files.readString(data.caCertificateFile()))).isEqualTo(ca);

      X509Certificate server = data.serverCertificate();
      server.verify(ca.getPublicKey());
      assertThat(server.getBasicConstraints()).isEqualTo(-1);
      assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
      assertThat(Certificates.subjectAltNames(server))
          .containsExactly(
              "dns:localhost",
              "ip:127.0.0.1",
              "ip:0:0:0:0:0:0:0:1",
              "dns:iot.example.com",
              "ip:192.0.2.10");
      assertThat(Duration.between(Instant.now(), server.getNotAfter().toInstant()))
          .isBetween(Duration.ofDays(729), Duration.ofDays(731));
      assertThat(Certificates.keysMatch(server.getPublicKey(), data.serverKey())).isTrue();

      assertThat(mode(data.caKeyFile())).isEqualTo("rw-------");
      assertThat(mode(data.serverKeyFile())).isEqualTo("rw-------");
      assertThat(mode(data.caCertificateFile())).isEqualTo("rw-r--r--");
      assertThat(mode(dir().resolve("ca"))).isEqualTo("rwx------");
      assertThat(Files.readString(data.caKeyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
    }
  }

  @Test
  void laterOpensReuseTheCertificates() {
    X509Certificate ca;
    X509Certificate server;
    try (DataDirectory first = DataDirectory.open(dir(), List.of("iot.example.com"))) {
      ca = first.rootCa().certificate();
      server = first.serverCertificate();
    }
    try (DataDirectory second = DataDirectory.open(dir(), List.of("IOT.example.com"))) {
      assertThat(second.created()).isFalse();
      assertThat(second.rootCa().certificate().getSerialNumber()).isEqualTo(ca.getSerialNumber());
      assertThat(second.serverCertificate().getSerialNumber()).isEqualTo(server.getSerialNumber());
    }
    // Fewer names are still covered.
    try (DataDirectory third = DataDirectory.open(dir(), List.of())) {
      assertThat(third.serverCertificate().getSerialNumber()).isEqualTo(server.getSerialNumber());
    }
  }

  @Test
  void aNewServerNameReissuesOnlyTheServerCertificate() {
    X509Certificate ca;
    X509Certificate server;
    try (DataDirectory first = DataDirectory.open(dir(), List.of())) {
      ca = first.rootCa().certificate();
      server = first.serverCertificate();
    }
    try (DataDirectory second = DataDirectory.open(dir(), List.of("new.example.com", "::2"))) {
      assertThat(second.rootCa().certificate()).isEqualTo(ca);
      assertThat(second.serverCertificate().getSerialNumber())
          .isNotEqualTo(server.getSerialNumber());
      assertThat(Certificates.subjectAltNames(second.serverCertificate()))
          .contains("dns:new.example.com", "ip:0:0:0:0:0:0:0:2");
    }
  }

  @Test
  void aServerCertificateNearExpiryIsReissued() {
    CertificateAuthority ca;
    try (DataDirectory first = DataDirectory.open(dir(), List.of())) {
      ca = first.rootCa();
    }
    IssuedCertificate expiring =
        ca.issueServerCertificate("localhost", DataDirectory.LOCAL_NAMES, Duration.ofDays(10));
    write(dir().resolve("tls/server.pem"), expiring.certificatePem());
    write(dir().resolve("tls/server.key"), expiring.privateKeyPem());

    try (DataDirectory second = DataDirectory.open(dir(), List.of())) {
      assertThat(second.serverCertificate().getSerialNumber())
          .isNotEqualTo(expiring.certificate().getSerialNumber());
      assertThat(second.serverCertificate().getNotAfter())
          .isAfter(expiring.certificate().getNotAfter());
    }
  }

  @Test
  void aServerCertificateFromAnotherCaIsReissued() {
    DataDirectory.open(dir(), List.of()).close();
    CertificateAuthority other = CertificateAuthority.createRoot("Other", Duration.ofDays(1));
    IssuedCertificate foreign =
        other.issueServerCertificate("localhost", DataDirectory.LOCAL_NAMES, Duration.ofDays(300));
    write(dir().resolve("tls/server.pem"), foreign.certificatePem());
    write(dir().resolve("tls/server.key"), foreign.privateKeyPem());

    try (DataDirectory data = DataDirectory.open(dir(), List.of())) {
      assertThat(data.rootCa().issued(data.serverCertificate())).isTrue();
    }
  }

  @Test
  void aMissingServerCertificateIsIssuedAgain() throws Exception {
    DataDirectory.open(dir(), List.of()).close();
    Files.delete(dir().resolve("tls/server.pem"));

    try (DataDirectory data = DataDirectory.open(dir(), List.of())) {
      assertThat(data.serverCertificateFile()).isRegularFile();
      assertThat(data.created()).isFalse();
    }
  }

  @Test
  void corruptCaCertificateIsReportedWithTheFileName() {
    DataDirectory.open(dir(), List.of()).close();
    Path file = dir().resolve("ca/root-ca.pem").toAbsolutePath();
    write(file, "this is not PEM\n");

    assertThatThrownBy(() -> DataDirectory.open(dir(), List.of()))
        .isInstanceOf(DataDirectoryException.class)
        .hasMessageStartingWith(
            file + " is not a usable certificate: expected a PEM certificate, found no PEM block")
        .hasMessageContaining("restore it from a backup");
  }

  @Test
  void brokenBase64IsReportedWithTheFileName() {
    DataDirectory.open(dir(), List.of()).close();
    Path file = dir().resolve("tls/server.pem").toAbsolutePath();
    write(file, "-----BEGIN CERTIFICATE-----\nAAAA!!!!####\n-----END CERTIFICATE-----\n");

    assertThatThrownBy(() -> DataDirectory.open(dir(), List.of()))
        .isInstanceOf(DataDirectoryException.class)
        .hasMessageStartingWith(file + " is not a usable certificate")
        .hasMessageContaining("delete " + file);
  }

  @Test
  void binaryGarbageInAKeyIsReportedWithTheFileName() throws Exception {
    DataDirectory.open(dir(), List.of()).close();
    Path file = dir().resolve("ca/root-ca.key").toAbsolutePath();
    Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80});

    assertThatThrownBy(() -> DataDirectory.open(dir(), List.of()))
        .isInstanceOf(DataDirectoryException.class)
        .hasMessageStartingWith(file + " is not a usable private key");
  }

  @Test
  void aKeyThatDoesNotMatchItsCertificateIsReported() {
    DataDirectory.open(dir(), List.of()).close();
    CertificateAuthority other = CertificateAuthority.createRoot("Other", Duration.ofDays(1));
    write(dir().resolve("ca/root-ca.key"), Pem.privateKey(other.privateKey()));

    assertThatThrownBy(() -> DataDirectory.open(dir(), List.of()))
        .isInstanceOf(DataDirectoryException.class)
        .hasMessageContaining("root-ca.key and ")
        .hasMessageContaining(
            "do not form a CA: the private key does not belong to the certificate");

    DataDirectory.open(tmp.resolve("second"), List.of()).close();
    write(tmp.resolve("second/tls/server.key"), Pem.privateKey(other.privateKey()));
    assertThatThrownBy(() -> DataDirectory.open(tmp.resolve("second"), List.of()))
        .hasMessageContaining("server.key is not the private key of ");
  }

  @Test
  void aCaKeyWithoutCertificateIsReported() throws Exception {
    DataDirectory.open(dir(), List.of()).close();
    Files.delete(dir().resolve("ca/root-ca.pem"));

    assertThatThrownBy(() -> DataDirectory.open(dir(), List.of()))
        .isInstanceOf(DataDirectoryException.class)
        .hasMessageStartingWith(
            dir().resolve("ca/root-ca.pem").toAbsolutePath() + " is missing although ");
  }

  @Test
  void aFileInPlaceOfTheDirectoryIsReported() throws Exception {
    Files.writeString(dir(), "I am a file");

    assertThatThrownBy(() -> DataDirectory.open(dir(), List.of()))
        .isInstanceOf(DataDirectoryException.class)
        .hasMessage(
            dir().toAbsolutePath()
                + " exists but is not a directory; remove it or choose another data"
                + " directory (--data-dir)");
  }

  @Test
  void anUnreadableKeyIsReported() throws Exception {
    // A directory in place of the key file: unreadable for every user, root included (CI runs as
    // root,
    // where chmod 000 would not stop the read).
    DataDirectory.open(dir(), List.of()).close();
    Path key = dir().resolve("ca/root-ca.key").toAbsolutePath();
    Files.delete(key);
    Files.createDirectory(key);

    assertThatThrownBy(() -> DataDirectory.open(dir(), List.of()))
        .isInstanceOf(DataDirectoryException.class)
        .hasMessageStartingWith("cannot read " + key + ": ")
        .hasMessageContaining("restore it from a backup");
  }

  @Test
  void theDirectoryIsLockedWhileOpenInThisProcess() {
    try (DataDirectory first = DataDirectory.open(dir(), List.of())) {
      assertThat(first.root()).isEqualTo(dir().toAbsolutePath());
      assertThatThrownBy(() -> DataDirectory.open(dir(), List.of()))
          .isInstanceOf(DataDirectoryException.class)
          .hasMessageStartingWith(
              "data directory " + dir().toAbsolutePath() + " is in use by another Pylon process");
    }
    DataDirectory.open(dir(), List.of()).close(); // released on close
  }

  @Test
  void theDirectoryIsLockedAgainstAnotherProcess() throws Exception {
    Files.createDirectories(dir());
    Path holder = tmp.resolve("HoldLock.java");
    Files.writeString(
        holder,
        """
        import java.nio.channels.FileChannel;
        import java.nio.file.*;
        public class HoldLock {
          public static void main(String[] args) throws Exception {
            FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
            channel.lock();
            channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\\n").getBytes()));
            System.out.println("locked");
            System.out.flush();
            System.in.read(); // hold until the test closes stdin
          }
        }
        """);
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process =
        new ProcessBuilder(java, holder.toString(), dir().resolve(".lock").toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line =
          CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return out.readLine();
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .get(60, TimeUnit.SECONDS);
      assertThat(line).isEqualTo("locked");

      assertThatThrownBy(() -> DataDirectory.open(dir(), List.of()))
          .isInstanceOf(DataDirectoryException.class)
          .hasMessageContaining("is in use by another Pylon process (pid " + process.pid() + ")");
    } finally {
      process.getOutputStream().close();
      process.waitFor(30, TimeUnit.SECONDS);
      process.destroyForcibly();
    }
    DataDirectory.open(dir(), List.of()).close(); // the lock died with its process
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
