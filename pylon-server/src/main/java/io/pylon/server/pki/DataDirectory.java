package io.pylon.server.pki;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's directory on disk, opened and locked for the lifetime of one server. The first open
 * creates it with a root CA and a server certificate; later opens reuse both, re-issuing only the
 * server certificate when it no longer fits (names added, expiry near, CA replaced). The root CA is
 * never replaced automatically: devices trust it, so losing it is the operator's decision.
 *
 * <pre>
 * &lt;dir&gt;/.lock            held while a server runs
 * &lt;dir&gt;/ca/root-ca.pem   root CA certificate: give this to clients
 * &lt;dir&gt;/ca/root-ca.key   its private key (mode 0600)
 * &lt;dir&gt;/tls/server.pem   server certificate, signed by the root CA
 * &lt;dir&gt;/tls/server.key   its private key (mode 0600)
 * &lt;dir&gt;/credentials      admin SigV4 credentials (written by the server, not here)
 * &lt;dir&gt;/db/              embedded database
 * </pre>
 */
public final class DataDirectory implements AutoCloseable {

  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  public static final Duration SERVER_CERTIFICATE_VALIDITY = Duration.ofDays(730);

  /**
   * A server certificate this close to expiry is re-issued at start, before any client sees it
   * lapse.
   */
  public static final Duration SERVER_CERTIFICATE_RENEWAL = Duration.ofDays(30);

  /** Names every server certificate carries, so that local clients always verify the host. */
  static final List<String> LOCAL_NAMES = List.of("localhost", "127.0.0.1", "::1");

  private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);

  private static final Set<PosixFilePermission> PRIVATE_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> PRIVATE_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PUBLIC_FILE =
      PosixFilePermissions.fromString("rw-r--r--");

  private final Path root;
  private final DirectoryLock lock;
  private final CertificateAuthority rootCa;
  private final X509Certificate serverCertificate;
  private final PrivateKey serverKey;
  private final boolean created;

  private DataDirectory(
      Path root,
      DirectoryLock lock,
      CertificateAuthority rootCa,
      X509Certificate serverCertificate,
      PrivateKey serverKey,
      boolean created) {
    this.root = root;
    this.lock = lock;
    this.rootCa = rootCa;
    this.serverCertificate = serverCertificate;
    this.serverKey = serverKey;
    this.created = created;
  }

  /**
   * Opens (creating on first use) and locks the data directory. Close it to release the lock.
   *
   * @param serverNames extra DNS names and IP addresses the server certificate must cover
   * @throws DataDirectoryException when the directory is in use, unreadable or holds corrupt files
   */
  public static DataDirectory open(Path dir, List<String> serverNames) {
    Path root = dir.toAbsolutePath().normalize();
    createDirectory(root);
    DirectoryLock lock = DirectoryLock.acquire(root, root.resolve(".lock"));
    try {
      createDirectory(root.resolve("ca"));
      createDirectory(root.resolve("tls"));
      Path caCert = root.resolve("ca/root-ca.pem");
      boolean created = !Files.exists(caCert) && !Files.exists(root.resolve("ca/root-ca.key"));
      CertificateAuthority ca = created ? createCa(root) : loadCa(root);
      Map.Entry<X509Certificate, PrivateKey> server =
          serverCredentials(root, ca, requiredNames(serverNames));
      return new DataDirectory(root, lock, ca, server.getKey(), server.getValue(), created);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  public Path root() {
    return root;
  }

  /** The root CA certificate: what clients pass as {@code --cafile} / {@code caCertificate}. */
  public Path caCertificateFile() {
    return root.resolve("ca/root-ca.pem");
  }

  public Path caKeyFile() {
    return root.resolve("ca/root-ca.key");
  }

  public Path serverCertificateFile() {
    return root.resolve("tls/server.pem");
  }

  public Path serverKeyFile() {
    return root.resolve("tls/server.key");
  }

  /** Admin SigV4 credentials in AWS shared-credentials format; created by the server, not here. */
  public Path credentialsFile() {
    return root.resolve("credentials");
  }

  /** Home of the embedded database; created by the storage layer, not here. */
  public Path databaseDirectory() {
    return root.resolve("db");
  }

  public CertificateAuthority rootCa() {
    return rootCa;
  }

  public X509Certificate serverCertificate() {
    return serverCertificate;
  }

  public PrivateKey serverKey() {
    return serverKey;
  }

  /** Whether this open created the root CA, i.e. this is the directory's first use. */
  public boolean created() {
    return created;
  }

  /** Releases the lock; the loaded credentials stay usable. */
  @Override
  public void close() {
    lock.close();
  }

  private static CertificateAuthority createCa(Path root) {
    String id = HexFormat.of().formatHex(Certificates.newSerial().toByteArray(), 0, 4);
    CertificateAuthority ca = CertificateAuthority.createRoot("Pylon Root CA " + id, CA_VALIDITY);
    // Key first: a crash in between leaves a key without certificate, which open() reports.
    writeFile(root.resolve("ca/root-ca.key"), Pem.privateKey(ca.privateKey()), true);
    writeFile(root.resolve("ca/root-ca.pem"), ca.certificatePem(), false);
    log.info(
        "Created root CA '{}' in {}",
        ca.certificate().getSubjectX500Principal().getName(),
        root.resolve("ca"));
    return ca;
  }

  private static CertificateAuthority loadCa(Path root) {
    Path certFile = root.resolve("ca/root-ca.pem");
    Path keyFile = root.resolve("ca/root-ca.key");
    String replaceAdvice =
        "restore it from a backup, or move the directory "
            + root.resolve("ca")
            + " away to have a new root CA created (clients and devices trusting the old one must then be"
            + " given the new one)";
    requireExists(certFile, keyFile, replaceAdvice);
    requireExists(keyFile, certFile, replaceAdvice);
    X509Certificate cert = readCertificate(certFile, replaceAdvice);
    PrivateKey key = readPrivateKey(keyFile, replaceAdvice);
    warnIfReadableByOthers(keyFile);
    CertificateAuthority ca;
    try {
      ca = new CertificateAuthority(cert, key);
    } catch (IllegalArgumentException e) {
      throw new DataDirectoryException(
          keyFile
              + " and "
              + certFile
              + " do not form a CA: "
              + e.getMessage()
              + "; "
              + replaceAdvice);
    }
    try {
      cert.checkValidity();
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw new DataDirectoryException(
          certFile
              + ": the root CA certificate is not valid now (valid from "
              + cert.getNotBefore().toInstant()
              + " to "
              + cert.getNotAfter().toInstant()
              + "); "
              + replaceAdvice);
    }
    return ca;
  }

  private static Map.Entry<X509Certificate, PrivateKey> serverCredentials(
      Path root, CertificateAuthority ca, List<String> names) {
    Path certFile = root.resolve("tls/server.pem");
    Path keyFile = root.resolve("tls/server.key");
    if (Files.exists(certFile) && Files.exists(keyFile)) {
      String advice = "delete " + certFile + " and " + keyFile + " to have new ones issued";
      X509Certificate cert = readCertificate(certFile, advice);
      PrivateKey key = readPrivateKey(keyFile, advice);
      if (!Certificates.keysMatch(cert.getPublicKey(), key)) {
        throw new DataDirectoryException(
            keyFile + " is not the private key of " + certFile + "; " + advice);
      }
      Optional<String> reason = reissueReason(cert, ca, names);
      if (reason.isEmpty()) {
        warnIfReadableByOthers(keyFile);
        return Map.entry(cert, key);
      }
      log.info("Re-issuing the server certificate: {}", reason.get());
    }
    IssuedCertificate issued =
        ca.issueServerCertificate(names.get(0), names, SERVER_CERTIFICATE_VALIDITY);
    writeFile(keyFile, issued.privateKeyPem(), true);
    writeFile(certFile, issued.certificatePem(), false);
    return Map.entry(issued.certificate(), issued.keyPair().getPrivate());
  }

  private static Optional<String> reissueReason(
      X509Certificate cert, CertificateAuthority ca, List<String> names) {
    if (!ca.issued(cert)) {
      return Optional.of("it was not issued by the current root CA");
    }
    Set<String> covered = Certificates.subjectAltNames(cert);
    List<String> missing =
        names.stream().filter(n -> !covered.contains(Certificates.normalisedName(n))).toList();
    if (!missing.isEmpty()) {
      return Optional.of("it does not cover " + String.join(", ", missing));
    }
    Instant renewAt = cert.getNotAfter().toInstant().minus(SERVER_CERTIFICATE_RENEWAL);
    if (Instant.now().isAfter(renewAt)) {
      return Optional.of("it expires on " + cert.getNotAfter().toInstant());
    }
    return Optional.empty();
  }

  /** The local names followed by the configured ones, without duplicates. */
  static List<String> requiredNames(List<String> serverNames) {
    Map<String, String> byNormalised = new LinkedHashMap<>();
    for (String name : LOCAL_NAMES) {
      byNormalised.putIfAbsent(Certificates.normalisedName(name), name);
    }
    for (String name : serverNames) {
      String trimmed = name.trim();
      if (!trimmed.isEmpty()) {
        byNormalised.putIfAbsent(Certificates.normalisedName(trimmed), trimmed);
      }
    }
    return new ArrayList<>(byNormalised.values());
  }

  private static void createDirectory(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new DataDirectoryException(
          dir
              + " exists but is not a directory; remove it or choose another"
              + " data directory (--data-dir)");
    }
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, privateDirectory(dir));
      }
    } catch (FileAlreadyExistsException | NotDirectoryException e) {
      throw new DataDirectoryException(
          "cannot create directory "
              + dir
              + ": "
              + e.getFile()
              + " is not a directory; choose another data directory (--data-dir)");
    } catch (IOException e) {
      throw new DataDirectoryException(
          "cannot create directory "
              + dir
              + ": "
              + reason(e)
              + "; choose a data directory the user running Pylon can write (--data-dir)");
    }
  }

  private static void requireExists(Path file, Path sibling, String advice) {
    if (!Files.exists(file)) {
      throw new DataDirectoryException(
          file + " is missing although " + sibling + " exists; " + advice);
    }
  }

  private static X509Certificate readCertificate(Path file, String advice) {
    try {
      return Pem.parseCertificate(readText(file, advice));
    } catch (IllegalArgumentException e) {
      throw new DataDirectoryException(
          file + " is not a usable certificate: " + e.getMessage() + "; " + advice);
    }
  }

  private static PrivateKey readPrivateKey(Path file, String advice) {
    try {
      return Pem.parsePrivateKey(readText(file, advice));
    } catch (IllegalArgumentException e) {
      throw new DataDirectoryException(
          file + " is not a usable private key: " + e.getMessage() + "; " + advice);
    }
  }

  private static String readText(Path file, String advice) {
    try {
      // Latin-1 never fails to decode, so binary garbage is reported as "not PEM", not as an I/O
      // error.
      return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    } catch (AccessDeniedException e) {
      throw new DataDirectoryException(
          "cannot read "
              + file
              + ": permission denied; run Pylon as the user"
              + " that owns the data directory, or fix the file's permissions");
    } catch (IOException e) {
      throw new DataDirectoryException("cannot read " + file + ": " + reason(e) + "; " + advice);
    }
  }

  /** Write to a temporary file and rename, so that a crash never leaves half a key behind. */
  private static void writeFile(Path file, String content, boolean secret) {
    Path tmp = null;
    try {
      // createTempFile makes the file readable by its owner only on POSIX systems.
      tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
        channel.force(true);
      }
      setPermissions(tmp, secret ? PRIVATE_FILE : PUBLIC_FILE);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new DataDirectoryException(
          "cannot write "
              + file
              + ": "
              + reason(e)
              + "; check that the data directory is writable by the user running Pylon");
    }
  }

  private static void warnIfReadableByOthers(Path keyFile) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(keyFile);
      if (permissions.stream()
          .anyMatch(p -> !PRIVATE_FILE.contains(p) && p != PosixFilePermission.OWNER_EXECUTE)) {
        log.warn(
            "{} is readable by other users ({}); run: chmod 600 {}",
            keyFile,
            PosixFilePermissions.toString(permissions),
            keyFile);
      }
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: nothing to check
    }
  }

  private static FileAttribute<?>[] privateDirectory(Path dir) {
    boolean posix =
        Optional.ofNullable(dir.getFileSystem())
            .map(fs -> fs.supportedFileAttributeViews().contains("posix"))
            .orElse(false);
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PRIVATE_DIR)}
        : new FileAttribute<?>[0];
  }

  private static void setPermissions(Path file, Set<PosixFilePermission> permissions)
      throws IOException {
    try {
      Files.setPosixFilePermissions(file, permissions);
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // best effort: a stray temporary file is harmless
    }
  }

  /** The short cause of an I/O failure, e.g. "permission denied". */
  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return String.valueOf(e.getMessage());
  }
}
