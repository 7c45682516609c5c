package io.pylon.store.identity;

import static io.pylon.store.identity.JdbcCertificateStore.written;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.identity.AutoRegistrationStatus;
import io.pylon.domain.identity.CaCertificate;
import io.pylon.domain.identity.CaCertificateStatus;
import io.pylon.domain.identity.CaCertificateStore;
import io.pylon.domain.identity.CertificateMode;
import io.pylon.domain.identity.RegistrationConfig;
import io.pylon.domain.identity.Validity;
import io.pylon.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * CA certificates in the {@code ca_certificate} table and the registration code in the one-row
 * {@code ca_registration_code} table. Conditional updates on customer_version, as {@link
 * JdbcCertificateStore}. Thread-safe; every call blocks on the database.
 */
public final class JdbcCaCertificateStore implements CaCertificateStore {

  private static final String COLUMNS =
      "id, arn, pem, subject, status, auto_registration_status, certificate_mode, owned_by,"
          + " created_ms, last_modified_ms, customer_version, generation_id, not_before_ms,"
          + " not_after_ms, template_body, role_arn, template_name";

  private final Database database;

  public JdbcCaCertificateStore(Database database) {
    this.database = database;
  }

  @Override
  public boolean insert(CaCertificate c) {
    return written(
        database,
        "registering CA certificate " + c.id(),
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO ca_certificate ("
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT DO NOTHING")) {
            insert.setString(1, c.id());
            insert.setString(2, c.arn());
            insert.setString(3, c.pem());
            insert.setString(4, c.subject());
            insert.setString(5, c.status().name());
            insert.setString(6, c.autoRegistrationStatus().name());
            insert.setString(7, c.mode().name());
            insert.setString(8, c.ownedBy());
            insert.setLong(9, c.creationDate().toEpochMilli());
            insert.setLong(10, c.lastModifiedDate().toEpochMilli());
            insert.setInt(11, c.customerVersion());
            insert.setString(12, c.generationId());
            insert.setLong(13, c.validity().notBefore().toEpochMilli());
            insert.setLong(14, c.validity().notAfter().toEpochMilli());
            insert.setString(15, c.registrationConfig().templateBody().orElse(null));
            insert.setString(16, c.registrationConfig().roleArn().orElse(null));
            insert.setString(17, c.registrationConfig().templateName().orElse(null));
            return insert.executeUpdate() == 1;
          }
        });
  }

  @Override
  public Optional<CaCertificate> find(String id) {
    return database.read(
        "reading CA certificate " + id,
        connection ->
            query(
                    connection,
                    "SELECT " + COLUMNS + " FROM ca_certificate WHERE id = ?",
                    s -> s.setString(1, id))
                .stream()
                .findFirst());
  }

  @Override
  public boolean update(CaCertificate c, int expectedVersion) {
    return written(
        database,
        "updating CA certificate " + c.id(),
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE ca_certificate SET status = ?, auto_registration_status = ?,"
                      + " last_modified_ms = ?, customer_version = ?, generation_id = ?,"
                      + " template_body = ?, role_arn = ?, template_name = ?"
                      + " WHERE id = ? AND customer_version = ?")) {
            update.setString(1, c.status().name());
            update.setString(2, c.autoRegistrationStatus().name());
            update.setLong(3, c.lastModifiedDate().toEpochMilli());
            update.setInt(4, c.customerVersion());
            update.setString(5, c.generationId());
            update.setString(6, c.registrationConfig().templateBody().orElse(null));
            update.setString(7, c.registrationConfig().roleArn().orElse(null));
            update.setString(8, c.registrationConfig().templateName().orElse(null));
            update.setString(9, c.id());
            update.setInt(10, expectedVersion);
            return update.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean delete(String id) {
    return written(
        database,
        "deleting CA certificate " + id,
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM ca_certificate WHERE id = ?")) {
            delete.setString(1, id);
            return delete.executeUpdate() == 1;
          }
        });
  }

  @Override
  public Page<CaCertificate> list(PageRequest page, boolean ascending) {
    return database.read(
        "listing CA certificates",
        connection -> {
          List<CaCertificate> rows =
              query(
                  connection,
                  "SELECT "
                      + COLUMNS
                      + " FROM ca_certificate WHERE TRUE"
                      + Keyset.after(page, ascending)
                      + Keyset.orderAndLimit(page, ascending),
                  s -> Keyset.bind(s, 1, page));
          Optional<String> marker =
              Keyset.next(rows, page, CaCertificate::creationDate, CaCertificate::id);
          return new Page<>(rows.subList(0, Math.min(rows.size(), page.maxResults())), marker);
        });
  }

  @Override
  public List<CaCertificate> findBySubject(String subject) {
    return database.read(
        "reading CA certificates by subject",
        connection ->
            query(
                connection,
                "SELECT " + COLUMNS + " FROM ca_certificate WHERE subject = ? ORDER BY id",
                s -> s.setString(1, subject)));
  }

  @Override
  public List<CaCertificate> active() {
    return database.read(
        "listing active CA certificates",
        connection ->
            query(
                connection,
                "SELECT " + COLUMNS + " FROM ca_certificate WHERE status = ? ORDER BY id",
                s -> s.setString(1, CaCertificateStatus.ACTIVE.name())));
  }

  @Override
  public Optional<String> registrationCode() {
    return database.read("reading the registration code", JdbcCaCertificateStore::readCode);
  }

  @Override
  public String registrationCode(String candidate) {
    database.write(
        "creating the registration code",
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO ca_registration_code (slot, code) VALUES (1, ?)"
                      + " ON CONFLICT DO NOTHING")) {
            insert.setString(1, candidate);
            insert.executeUpdate();
          }
        });
    return registrationCode()
        .orElseThrow(() -> new IllegalStateException("registration code vanished after insert"));
  }

  @Override
  public boolean deleteRegistrationCode() {
    return written(
        database,
        "deleting the registration code",
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM ca_registration_code WHERE slot = 1")) {
            return delete.executeUpdate() == 1;
          }
        });
  }

  private static Optional<String> readCode(Connection connection) throws SQLException {
    try (PreparedStatement select =
            connection.prepareStatement("SELECT code FROM ca_registration_code WHERE slot = 1");
        ResultSet rows = select.executeQuery()) {
      return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
    }
  }

  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  private static List<CaCertificate> query(Connection connection, String sql, Binder binder)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      binder.bind(select);
      List<CaCertificate> result = new ArrayList<>();
      try (ResultSet r = select.executeQuery()) {
        while (r.next()) {
          result.add(
              new CaCertificate(
                  r.getString(1),
                  r.getString(2),
                  r.getString(3),
                  r.getString(4),
                  CaCertificateStatus.valueOf(r.getString(5)),
                  AutoRegistrationStatus.valueOf(r.getString(6)),
                  r.getString(8),
                  Instant.ofEpochMilli(r.getLong(9)),
                  Instant.ofEpochMilli(r.getLong(10)),
                  r.getInt(11),
                  r.getString(12),
                  new Validity(
                      Instant.ofEpochMilli(r.getLong(13)), Instant.ofEpochMilli(r.getLong(14))),
                  CertificateMode.valueOf(r.getString(7)),
                  new RegistrationConfig(
                      Optional.ofNullable(r.getString(15)),
                      Optional.ofNullable(r.getString(16)),
                      Optional.ofNullable(r.getString(17)))));
        }
      }
      return result;
    }
  }
}
