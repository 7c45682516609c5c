package io.pylon.store.identity;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.identity.Certificate;
import io.pylon.domain.identity.CertificateMode;
import io.pylon.domain.identity.CertificateStatus;
import io.pylon.domain.identity.CertificateStore;
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
 * Device certificates in the {@code certificate} table. Inserts rely on the primary key (a
 * duplicate reads as "exists"), updates are conditional on customer_version, so two concurrent
 * changes of one certificate cannot both win. Thread-safe; every call blocks on the database.
 */
public final class JdbcCertificateStore implements CertificateStore {

  private static final String COLUMNS =
      "id, arn, pem, status, ca_certificate_id, certificate_mode, owned_by, created_ms,"
          + " last_modified_ms, customer_version, generation_id, not_before_ms, not_after_ms";

  private final Database database;

  public JdbcCertificateStore(Database database) {
    this.database = database;
  }

  @Override
  public boolean insert(Certificate c) {
    return written(
        database,
        "registering certificate " + c.id(),
        connection -> {
          // ON CONFLICT DO NOTHING is understood by both engines and needs no exception handling.
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO certificate ("
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT DO NOTHING")) {
            bind(insert, c);
            return insert.executeUpdate() == 1;
          }
        });
  }

  @Override
  public Optional<Certificate> find(String id) {
    return database.read(
        "reading certificate " + id,
        connection -> {
          List<Certificate> rows =
              query(
                  connection,
                  "SELECT " + COLUMNS + " FROM certificate WHERE id = ?",
                  s -> {
                    s.setString(1, id);
                  });
          return rows.stream().findFirst();
        });
  }

  @Override
  public boolean update(Certificate c, int expectedVersion) {
    return written(
        database,
        "updating certificate " + c.id(),
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE certificate SET status = ?, last_modified_ms = ?, customer_version = ?,"
                      + " generation_id = ? WHERE id = ? AND customer_version = ?")) {
            update.setString(1, c.status().name());
            update.setLong(2, c.lastModifiedDate().toEpochMilli());
            update.setInt(3, c.customerVersion());
            update.setString(4, c.generationId());
            update.setString(5, c.id());
            update.setInt(6, expectedVersion);
            return update.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean delete(String id) {
    return written(
        database,
        "deleting certificate " + id,
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM certificate WHERE id = ?")) {
            delete.setString(1, id);
            return delete.executeUpdate() == 1;
          }
        });
  }

  @Override
  public Page<Certificate> list(PageRequest page, boolean ascending) {
    return page("listing certificates", "TRUE", null, page, ascending);
  }

  @Override
  public Page<Certificate> listByCa(String caCertificateId, PageRequest page, boolean ascending) {
    return page(
        "listing certificates of CA " + caCertificateId,
        "ca_certificate_id = ?",
        caCertificateId,
        page,
        ascending);
  }

  @Override
  public boolean existsForCa(String caCertificateId) {
    return database.read(
        "checking for certificates of CA " + caCertificateId,
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT 1 FROM certificate WHERE ca_certificate_id = ? LIMIT 1")) {
            select.setString(1, caCertificateId);
            try (ResultSet rows = select.executeQuery()) {
              return rows.next();
            }
          }
        });
  }

  @Override
  public List<Certificate> activeWithoutCa() {
    return database.read(
        "listing active certificates registered without a CA",
        connection ->
            query(
                connection,
                "SELECT "
                    + COLUMNS
                    + " FROM certificate WHERE ca_certificate_id IS NULL AND certificate_mode = ?"
                    + " AND status = ? ORDER BY id",
                s -> {
                  s.setString(1, CertificateMode.SNI_ONLY.name());
                  s.setString(2, CertificateStatus.ACTIVE.name());
                }));
  }

  private Page<Certificate> page(
      String action, String condition, String parameter, PageRequest page, boolean ascending) {
    return database.read(
        action,
        connection -> {
          List<Certificate> rows =
              query(
                  connection,
                  "SELECT "
                      + COLUMNS
                      + " FROM certificate WHERE "
                      + condition
                      + Keyset.after(page, ascending)
                      + Keyset.orderAndLimit(page, ascending),
                  s -> {
                    int next = 1;
                    if (parameter != null) {
                      s.setString(next++, parameter);
                    }
                    Keyset.bind(s, next, page);
                  });
          Optional<String> marker =
              Keyset.next(rows, page, Certificate::creationDate, Certificate::id);
          return new Page<>(rows.subList(0, Math.min(rows.size(), page.maxResults())), marker);
        });
  }

  /** A write that reports whether it changed a row; committed (durably) before this returns. */
  static boolean written(Database database, String action, io.pylon.store.SqlWork<Boolean> work) {
    boolean[] changed = new boolean[1];
    database.write(action, connection -> changed[0] = work.run(connection));
    return changed[0];
  }

  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  private static List<Certificate> query(Connection connection, String sql, Binder binder)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      binder.bind(select);
      List<Certificate> result = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          result.add(read(rows));
        }
      }
      return result;
    }
  }

  private static void bind(PreparedStatement s, Certificate c) throws SQLException {
    s.setString(1, c.id());
    s.setString(2, c.arn());
    s.setString(3, c.pem());
    s.setString(4, c.status().name());
    s.setString(5, c.caCertificateId().orElse(null));
    s.setString(6, c.mode().name());
    s.setString(7, c.ownedBy());
    s.setLong(8, c.creationDate().toEpochMilli());
    s.setLong(9, c.lastModifiedDate().toEpochMilli());
    s.setInt(10, c.customerVersion());
    s.setString(11, c.generationId());
    s.setLong(12, c.validity().notBefore().toEpochMilli());
    s.setLong(13, c.validity().notAfter().toEpochMilli());
  }

  private static Certificate read(ResultSet r) throws SQLException {
    return new Certificate(
        r.getString(1),
        r.getString(2),
        r.getString(3),
        CertificateStatus.valueOf(r.getString(4)),
        Optional.ofNullable(r.getString(5)),
        r.getString(7),
        Instant.ofEpochMilli(r.getLong(8)),
        Instant.ofEpochMilli(r.getLong(9)),
        r.getInt(10),
        r.getString(11),
        new Validity(Instant.ofEpochMilli(r.getLong(12)), Instant.ofEpochMilli(r.getLong(13))),
        CertificateMode.valueOf(r.getString(6)));
  }
}
