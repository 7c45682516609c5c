package io.pylon.server.config;

import java.util.Objects;

/**
 * Where durable state lives.
 *
 * @param url a PostgreSQL JDBC URL ({@code jdbc:postgresql://host:port/database}), or empty for the
 *     embedded database in {@code <data-dir>/db}
 * @param username database user, empty when the URL or the embedded database needs none
 * @param password database password; never printed
 */
public record StorageConfig(String url, String username, String password) {

  private static final String POSTGRES_PREFIX = "jdbc:postgresql:";

  public StorageConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (!url.isEmpty() && !url.startsWith(POSTGRES_PREFIX)) {
      throw new ConfigException(
          "storage.url: must be empty or a JDBC URL for PostgreSQL"
              + " (jdbc:postgresql://host:port/database), was '"
              + withoutParameters(url)
              + "'");
    }
  }

  /** Whether the embedded database in the data directory is used. */
  public boolean isEmbedded() {
    return url.isEmpty();
  }

  /** The URL without its parameters, which may carry a password: for logs and the banner. */
  public String urlWithoutParameters() {
    return withoutParameters(url);
  }

  /** Keeps the password out of logs and the start-up banner. */
  @Override
  public String toString() {
    return "StorageConfig[url="
        + urlWithoutParameters()
        + ", username="
        + username
        + ", password="
        + (password.isEmpty() ? "" : "****")
        + "]";
  }

  private static String withoutParameters(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }
}
