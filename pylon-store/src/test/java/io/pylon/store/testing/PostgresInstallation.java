package io.pylon.store.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the PostgreSQL server programs are: Debian's {@code /usr/lib/postgresql/<version>/bin}
 * (newest version first), else the directory of {@code initdb} on the {@code PATH}, else the
 * directory named by the system property {@value #BIN_PROPERTY}, which wins over both.
 *
 * @param bin the directory holding {@code initdb}, {@code pg_ctl} and {@code postgres}
 */
public record PostgresInstallation(Path bin) {

  /** Overrides the search, e.g. {@code -Dpylon.test.postgres.bin=/opt/pg16/bin}. */
  public static final String BIN_PROPERTY = "pylon.test.postgres.bin";

  private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
  private static final List<String> PROGRAMS = List.of("initdb", "pg_ctl", "postgres");

  /**
   * Finds the installation.
   *
   * @throws IllegalStateException when PostgreSQL is not installed, with a message that says how to
   *     install it
   */
  public static PostgresInstallation find() {
    return find(System.getProperty(BIN_PROPERTY, ""), DEBIAN_ROOT, System.getenv("PATH"));
  }

  static PostgresInstallation find(String configured, Path debianRoot, String path) {
    if (!configured.isBlank()) {
      Path bin = Path.of(configured);
      if (!complete(bin)) {
        throw new IllegalStateException(
            BIN_PROPERTY + "=" + configured + " does not hold the programs " + PROGRAMS);
      }
      return new PostgresInstallation(bin);
    }
    return debian(debianRoot)
        .or(() -> onPath(path))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "PostgreSQL is not installed: these tests run a private PostgreSQL server and"
                        + " found no initdb, pg_ctl and postgres in "
                        + debianRoot
                        + "/<version>/bin nor on the PATH. `./pylon test` installs it (Debian"
                        + " package postgresql); or run `apt-get install postgresql`, or set -D"
                        + BIN_PROPERTY
                        + "=<directory of initdb>"));
  }

  /** A program in this installation: {@code initdb}, {@code pg_ctl}, {@code postgres}. */
  public String program(String name) {
    return bin.resolve(name).toString();
  }

  private static Optional<PostgresInstallation> debian(Path root) {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
          .sorted(
              Comparator.comparingDouble((Path v) -> Double.parseDouble(v.getFileName().toString()))
                  .reversed())
          .map(v -> v.resolve("bin"))
          .filter(PostgresInstallation::complete)
          .findFirst()
          .map(PostgresInstallation::new);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<PostgresInstallation> onPath(String path) {
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(":"))
        .filter(p -> !p.isEmpty())
        .map(Path::of)
        .filter(PostgresInstallation::complete)
        .findFirst()
        .map(PostgresInstallation::new);
  }

  private static boolean complete(Path bin) {
    return PROGRAMS.stream().allMatch(p -> Files.isExecutable(bin.resolve(p)));
  }
}
