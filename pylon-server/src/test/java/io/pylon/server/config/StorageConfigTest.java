package io.pylon.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StorageConfigTest {

  @Test
  void emptyUrl_isTheEmbeddedDatabase() {
    assertThat(new StorageConfig("", "", "").isEmbedded()).isTrue();
  }

  @Test
  void postgresUrl_isAccepted() {
    StorageConfig storage = new StorageConfig("jdbc:postgresql://db:5432/pylon", "pylon", "s");

    assertThat(storage.isEmbedded()).isFalse();
  }

  @Test
  void otherJdbcUrl_isRefusedSayingOnlyPostgresIsSupported() {
    assertThatThrownBy(() -> new StorageConfig("jdbc:mysql://db/pylon?password=hunter2", "", ""))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "storage.url: must be empty or a JDBC URL for PostgreSQL"
                + " (jdbc:postgresql://host:port/database), was 'jdbc:mysql://db/pylon'");
  }

  @Test
  void passwordInTheUrlOrSettings_neverPrinted() {
    StorageConfig storage =
        new StorageConfig("jdbc:postgresql://db/pylon?password=hunter2", "pylon", "secret");

    assertThat(storage.urlWithoutParameters()).isEqualTo("jdbc:postgresql://db/pylon");
    assertThat(storage.toString()).doesNotContain("hunter2").doesNotContain("secret");
  }
}
