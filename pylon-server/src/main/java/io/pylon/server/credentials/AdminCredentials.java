package io.pylon.server.credentials;

import io.pylon.server.pki.DataDirectoryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;

/**
 * The administrator's SigV4 access key, kept in the data directory in AWS shared-credentials format
 * (profile {@code default}) so that the AWS CLI and SDKs read it with {@code
 * AWS_SHARED_CREDENTIALS_FILE=<data-dir>/credentials}.
 *
 * @param accessKeyId 20 characters, {@code AKIA} followed by upper-case letters and digits, as AWS
 * @param secretAccessKey 40 characters
 */
public record AdminCredentials(String accessKeyId, String secretAccessKey) {

  private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  @Override
  public String toString() {
    return "AdminCredentials[accessKeyId=" + accessKeyId + "]";
  }

  /** Reads the {@code default} profile of the file, creating the file with new keys if missing. */
  public static AdminCredentials loadOrCreate(Path file) {
    if (Files.exists(file)) {
      return load(file);
    }
    AdminCredentials created = generate(new SecureRandom());
    String text =
        "# Pylon administrator credentials (AWS shared-credentials format).\n"
            + "# Use with: AWS_SHARED_CREDENTIALS_FILE="
            + file.toAbsolutePath()
            + "\n"
            + "[default]\n"
            + "aws_access_key_id = "
            + created.accessKeyId
            + "\n"
            + "aws_secret_access_key = "
            + created.secretAccessKey
            + "\n";
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the file keeps the platform's default permissions.
      }
      Files.move(tmp, file);
    } catch (IOException e) {
      throw new DataDirectoryException(
          "cannot write credentials file "
              + file
              + ": "
              + e.getMessage()
              + ". Check that the data directory is writable.",
          e);
    }
    return created;
  }

  static AdminCredentials load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DataDirectoryException(
          "cannot read credentials file " + file + ": " + e.getMessage(), e);
    }
    String id = null;
    String secret = null;
    boolean inDefault = false;
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[")) {
        inDefault = line.equals("[default]");
        continue;
      }
      int eq = line.indexOf('=');
      if (!inDefault || eq < 0) {
        continue;
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (key.equals("aws_access_key_id")) {
        id = value;
      } else if (key.equals("aws_secret_access_key")) {
        secret = value;
      }
    }
    if (id == null || secret == null || id.isEmpty() || secret.isEmpty()) {
      throw new DataDirectoryException(
          "credentials file "
              + file
              + " has no [default] profile with aws_access_key_id and aws_secret_access_key."
              + " Fix it, or delete it to have new credentials created at the next start.");
    }
    return new AdminCredentials(id, secret);
  }

  static AdminCredentials generate(SecureRandom random) {
    StringBuilder id = new StringBuilder("AKIA");
    while (id.length() < 20) {
      id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
    }
    StringBuilder secret = new StringBuilder();
    while (secret.length() < 40) {
      secret.append(SECRET_ALPHABET.charAt(random.nextInt(SECRET_ALPHABET.length())));
    }
    return new AdminCredentials(id.toString(), secret.toString());
  }
}
