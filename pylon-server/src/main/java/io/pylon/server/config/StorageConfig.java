package io.pylon.server.config;

import java.util.Objects;

/**
 * Where durable state lives.
 *
 * @param url JDBC URL, or empty for the embedded database in {@code <data-dir>/db}
 * @param username database user, empty when the URL or the embedded database needs none
 * @param password database password; never printed
 */
public record StorageConfig(String url, String username, String password) {

  public StorageConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (!url.isEmpty() && !url.startsWith("jdbc:")) {
      throw new ConfigException(
          "storage.url: must be empty or a JDBC URL starting with 'jdbc:', was '" + url + "'");
    }
  }

  /** Whether the embedded database in the data directory is used. */
  public boolean isEmbedded() {
    return url.isEmpty();
  }

  /** Keeps the password out of logs and the start-up banner. */
  @Override
  public String toString() {
    return "StorageConfig[url="
        + url
        + ", username="
        + username
        + ", password="
        + (password.isEmpty() ? "" : "****")
        + "]";
  }
}
