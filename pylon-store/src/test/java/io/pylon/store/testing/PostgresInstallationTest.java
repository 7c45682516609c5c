package io.pylon.store.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresInstallationTest {

  @TempDir Path root;

  @Test
  void find_nothingInstalled_failsSayingThatPylonTestInstallsIt() {
    assertThatThrownBy(
            () -> PostgresInstallation.find("", root.resolve("usr/lib/postgresql"), "/nowhere"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("PostgreSQL is not installed: ")
        .hasMessageContaining("`./pylon test` installs it (Debian package postgresql)");
  }

  @Test
  void find_severalDebianVersions_takesTheNewestComplete() throws IOException {
    Path debian = root.resolve("usr/lib/postgresql");
    programs(debian.resolve("9.6/bin"));
    programs(debian.resolve("15/bin"));
    programs(debian.resolve("16/bin"));
    Files.delete(debian.resolve("16/bin/initdb"));

    assertThat(PostgresInstallation.find("", debian, "").bin()).isEqualTo(debian.resolve("15/bin"));
  }

  @Test
  void find_onlyOnPath_usesThatDirectory() throws IOException {
    Path bin = programs(root.resolve("opt/bin"));

    assertThat(PostgresInstallation.find("", root.resolve("none"), "/nowhere:" + bin).bin())
        .isEqualTo(bin);
  }

  @Test
  void find_configuredDirectoryWithoutPrograms_failsNamingIt() {
    assertThatThrownBy(
            () -> PostgresInstallation.find(root.toString(), root.resolve("none"), "/nowhere"))
        .hasMessage(
            PostgresInstallation.BIN_PROPERTY
                + "="
                + root
                + " does not hold the programs [initdb, pg_ctl, postgres]");
  }

  private static Path programs(Path bin) throws IOException {
    Files.createDirectories(bin);
    for (String program : new String[] {"initdb", "pg_ctl", "postgres"}) {
      Files.writeString(bin.resolve(program), "#!/bin/sh\n");
      Files.setPosixFilePermissions(
          bin.resolve(program), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return bin;
  }
}
