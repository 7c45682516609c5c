package io.pylon.store.policy;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.policy.Policy;
import io.pylon.domain.policy.PolicyStore;
import io.pylon.domain.policy.PolicyTarget;
import io.pylon.domain.policy.PolicyVersion;
import io.pylon.store.Database;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Policies in a {@link Database}: the {@code policy}, {@code policy_version} and {@code
 * policy_attachment} tables of {@code V4__policies.sql}.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li><b>Conditional changes.</b> {@link #update} writes the policy row only where its {@code
 *       generation_id} is still the one the service read, and adds or removes a version in the same
 *       transaction; zero rows updated means someone else came first.
 *   <li><b>Attach versus delete.</b> Both lock the policy's row ({@code SELECT ... FOR UPDATE})
 *       before looking at its attachments, so a policy cannot be deleted while an attachment to it
 *       is being made. The per-target limit is counted in the same transaction; two different
 *       policies attached to one target at the same moment can both pass it (READ COMMITTED does
 *       not show either the other's row), which at worst leaves a target one policy over.
 *   <li><b>Order.</b> Policies page by (creation time, name); targets by ARN in the engine's
 *       collation (PostgreSQL's may differ from H2's for mixed case or punctuation, but paging
 *       stays consistent within one engine). {@link #attachedTo} sorts in Java, so both engines
 *       agree.
 *   <li><b>Markers</b> are base64 of the last key of a page, matching AWS's marker pattern; one
 *       that does not decode is an InvalidRequestException.
 *   <li><b>Threads.</b> Thread-safe and stateless apart from SQL text; every call blocks.
 * </ul>
 */
public final class JdbcPolicyStore implements PolicyStore {

  private static final String POLICY_COLUMNS =
      "p.policy_name, p.default_version_id, v.document, p.created_ms, p.last_modified_ms,"
          + " p.generation_id, p.last_version_id";
  private static final String POLICY_FROM =
      " FROM policy p JOIN policy_version v"
          + " ON v.policy_name = p.policy_name AND v.version_id = p.default_version_id";

  private final Database database;

  /** A store over {@code database}, whose schema is already migrated by opening it. */
  public JdbcPolicyStore(Database database) {
    this.database = database;
  }

  @Override
  public boolean create(Policy policy, PolicyVersion first) {
    AtomicReference<Boolean> created = new AtomicReference<>(false);
    database.write(
        "creating policy " + quote(policy.name()),
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO policy (policy_name, default_version_id, last_version_id,"
                      + " generation_id, created_ms, last_modified_ms) VALUES (?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT DO NOTHING")) {
            insert.setString(1, policy.name());
            insert.setInt(2, Integer.parseInt(policy.defaultVersionId()));
            insert.setInt(3, policy.lastVersionNumber());
            insert.setString(4, policy.generationId());
            insert.setLong(5, policy.creationDate().toEpochMilli());
            insert.setLong(6, policy.lastModifiedDate().toEpochMilli());
            if (insert.executeUpdate() == 0) {
              return;
            }
          }
          insertVersion(c, first);
          created.set(true);
        });
    return created.get();
  }

  @Override
  public Optional<Policy> find(String name) {
    return database.read(
        "reading policy " + quote(name),
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT " + POLICY_COLUMNS + POLICY_FROM + " WHERE p.policy_name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
              return rows.next() ? Optional.of(policy(rows)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public Page<Policy> list(PageRequest page, boolean ascending) {
    Optional<CreationKey> after = page.nextToken().map(CreationKey::decode);
    String cmp = ascending ? ">" : "<";
    String direction = ascending ? " ASC" : " DESC";
    String sql =
        "SELECT "
            + POLICY_COLUMNS
            + POLICY_FROM
            + (after.isPresent()
                ? " WHERE (p.created_ms "
                    + cmp
                    + " ? OR (p.created_ms = ? AND p.policy_name "
                    + cmp
                    + " ?))"
                : "")
            + " ORDER BY p.created_ms"
            + direction
            + ", p.policy_name"
            + direction
            + " LIMIT "
            + (page.maxResults() + 1);
    List<Policy> rows =
        database.read(
            "listing policies",
            c -> {
              try (PreparedStatement select = c.prepareStatement(sql)) {
                if (after.isPresent()) {
                  select.setLong(1, after.get().createdMs());
                  select.setLong(2, after.get().createdMs());
                  select.setString(3, after.get().name());
                }
                List<Policy> policies = new ArrayList<>();
                try (ResultSet result = select.executeQuery()) {
                  while (result.next()) {
                    policies.add(policy(result));
                  }
                }
                return policies;
              }
            });
    if (rows.size() <= page.maxResults()) {
      return Page.last(rows);
    }
    List<Policy> items = rows.subList(0, page.maxResults());
    Policy last = items.get(items.size() - 1);
    return new Page<>(
        items,
        Optional.of(new CreationKey(last.creationDate().toEpochMilli(), last.name()).encode()));
  }

  @Override
  public List<PolicyVersion> versions(String policyName) {
    return database.read(
        "listing versions of policy " + quote(policyName),
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT policy_name, version_id, document, created_ms FROM policy_version"
                      + " WHERE policy_name = ? ORDER BY version_id")) {
            select.setString(1, policyName);
            List<PolicyVersion> versions = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                versions.add(version(rows));
              }
            }
            return versions;
          }
        });
  }

  @Override
  public Optional<PolicyVersion> version(String policyName, String versionId) {
    Optional<Integer> number = number(versionId);
    if (number.isEmpty()) {
      return Optional.empty();
    }
    return database.read(
        "reading version " + versionId + " of policy " + quote(policyName),
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT policy_name, version_id, document, created_ms FROM policy_version"
                      + " WHERE policy_name = ? AND version_id = ?")) {
            select.setString(1, policyName);
            select.setInt(2, number.get());
            try (ResultSet rows = select.executeQuery()) {
              return rows.next() ? Optional.of(version(rows)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public boolean update(
      String expectedGenerationId,
      Policy updated,
      Optional<PolicyVersion> added,
      Optional<String> removedVersionId) {
    AtomicReference<Boolean> done = new AtomicReference<>(false);
    database.write(
        "updating policy " + quote(updated.name()),
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE policy SET default_version_id = ?, last_version_id = ?,"
                      + " generation_id = ?, last_modified_ms = ?"
                      + " WHERE policy_name = ? AND generation_id = ?")) {
            update.setInt(1, Integer.parseInt(updated.defaultVersionId()));
            update.setInt(2, updated.lastVersionNumber());
            update.setString(3, updated.generationId());
            update.setLong(4, updated.lastModifiedDate().toEpochMilli());
            update.setString(5, updated.name());
            update.setString(6, expectedGenerationId);
            if (update.executeUpdate() == 0) {
              return;
            }
          }
          if (added.isPresent()) {
            insertVersion(c, added.get());
          }
          Optional<Integer> removed = removedVersionId.flatMap(JdbcPolicyStore::number);
          if (removed.isPresent()) {
            try (PreparedStatement delete =
                c.prepareStatement(
                    "DELETE FROM policy_version WHERE policy_name = ? AND version_id = ?")) {
              delete.setString(1, updated.name());
              delete.setInt(2, removed.get());
              delete.executeUpdate();
            }
          }
          done.set(true);
        });
    return done.get();
  }

  @Override
  public DeleteResult delete(String name, String expectedGenerationId) {
    AtomicReference<DeleteResult> result = new AtomicReference<>();
    database.write(
        "deleting policy " + quote(name),
        c -> {
          Optional<String> generation = lockPolicy(c, name);
          if (generation.isEmpty()) {
            result.set(DeleteResult.NOT_FOUND);
            return;
          }
          if (!generation.get().equals(expectedGenerationId)) {
            result.set(DeleteResult.CHANGED);
            return;
          }
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT target FROM policy_attachment WHERE policy_name = ? LIMIT 1")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
              if (rows.next()) {
                result.set(DeleteResult.ATTACHED);
                return;
              }
            }
          }
          // Versions go with the policy (ON DELETE CASCADE).
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM policy WHERE policy_name = ?")) {
            delete.setString(1, name);
            delete.executeUpdate();
          }
          result.set(DeleteResult.DELETED);
        });
    return result.get();
  }

  @Override
  public AttachResult attach(
      String policyName, PolicyTarget target, int maxPerTarget, Instant now) {
    AtomicReference<AttachResult> result = new AtomicReference<>();
    database.write(
        "attaching policy " + quote(policyName) + " to " + quote(target.arn()),
        c -> {
          if (lockPolicy(c, policyName).isEmpty()) {
            result.set(AttachResult.NOT_FOUND);
            return;
          }
          List<String> attached = attachedTo(c, target.arn());
          if (attached.contains(policyName)) {
            result.set(AttachResult.ALREADY_ATTACHED);
            return;
          }
          if (attached.size() >= maxPerTarget) {
            result.set(AttachResult.LIMIT_REACHED);
            return;
          }
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO policy_attachment (target, policy_name, target_kind, attached_ms)"
                      + " VALUES (?, ?, ?, ?)")) {
            insert.setString(1, target.arn());
            insert.setString(2, policyName);
            insert.setString(3, target.kind().name());
            insert.setLong(4, now.toEpochMilli());
            insert.executeUpdate();
          }
          result.set(AttachResult.ATTACHED);
        });
    return result.get();
  }

  @Override
  public boolean detach(String policyName, String target) {
    AtomicReference<Boolean> detached = new AtomicReference<>(false);
    database.write(
        "detaching policy " + quote(policyName) + " from " + quote(target),
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement(
                  "DELETE FROM policy_attachment WHERE target = ? AND policy_name = ?")) {
            delete.setString(1, target);
            delete.setString(2, policyName);
            detached.set(delete.executeUpdate() > 0);
          }
        });
    return detached.get();
  }

  @Override
  public List<String> detachAll(String target) {
    AtomicReference<List<String>> detached = new AtomicReference<>(List.of());
    database.write(
        "detaching all policies from " + quote(target),
        c -> {
          List<String> names = attachedTo(c, target);
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM policy_attachment WHERE target = ?")) {
            delete.setString(1, target);
            delete.executeUpdate();
          }
          detached.set(names);
        });
    return detached.get();
  }

  @Override
  public List<String> attachedTo(String target) {
    return database.read("listing policies of " + quote(target), c -> attachedTo(c, target));
  }

  @Override
  public Page<String> targetsOf(
      String policyName, Optional<PolicyTarget.Kind> kind, PageRequest page, boolean ascending) {
    Optional<String> after = page.nextToken().map(JdbcPolicyStore::decodeToken);
    String sql =
        "SELECT target FROM policy_attachment WHERE policy_name = ?"
            + (kind.isPresent() ? " AND target_kind = ?" : "")
            + (after.isPresent() ? " AND target " + (ascending ? ">" : "<") + " ?" : "")
            + " ORDER BY target"
            + (ascending ? " ASC" : " DESC")
            + " LIMIT "
            + (page.maxResults() + 1);
    List<String> rows =
        database.read(
            "listing targets of policy " + quote(policyName),
            c -> {
              try (PreparedStatement select = c.prepareStatement(sql)) {
                int index = 1;
                select.setString(index++, policyName);
                if (kind.isPresent()) {
                  select.setString(index++, kind.get().name());
                }
                if (after.isPresent()) {
                  select.setString(index, after.get());
                }
                List<String> targets = new ArrayList<>();
                try (ResultSet result = select.executeQuery()) {
                  while (result.next()) {
                    targets.add(result.getString(1));
                  }
                }
                return targets;
              }
            });
    if (rows.size() <= page.maxResults()) {
      return Page.last(rows);
    }
    List<String> items = rows.subList(0, page.maxResults());
    return new Page<>(items, Optional.of(encodeToken(items.get(items.size() - 1))));
  }

  @Override
  public String toString() {
    return "JdbcPolicyStore[" + database + "]";
  }

  private static List<String> attachedTo(Connection c, String target) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT policy_name FROM policy_attachment WHERE target = ?")) {
      select.setString(1, target);
      List<String> names = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      }
      // Sorted here rather than by the engine, whose collation may differ between H2 and PG.
      names.sort(null);
      return names;
    }
  }

  /** The policy's generation, with its row locked until the transaction ends; empty if none. */
  private static Optional<String> lockPolicy(Connection c, String name) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT generation_id FROM policy WHERE policy_name = ? FOR UPDATE")) {
      select.setString(1, name);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    }
  }

  private static void insertVersion(Connection c, PolicyVersion version) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO policy_version (policy_name, version_id, document, created_ms)"
                + " VALUES (?, ?, ?, ?)")) {
      insert.setString(1, version.policyName());
      insert.setInt(2, Integer.parseInt(version.versionId()));
      insert.setString(3, version.document());
      insert.setLong(4, version.createDate().toEpochMilli());
      insert.executeUpdate();
    }
  }

  private static Policy policy(ResultSet rows) throws SQLException {
    return new Policy(
        rows.getString(1),
        Integer.toString(rows.getInt(2)),
        rows.getString(3),
        Instant.ofEpochMilli(rows.getLong(4)),
        Instant.ofEpochMilli(rows.getLong(5)),
        rows.getString(6),
        rows.getInt(7));
  }

  private static PolicyVersion version(ResultSet rows) throws SQLException {
    return new PolicyVersion(
        rows.getString(1),
        Integer.toString(rows.getInt(2)),
        rows.getString(3),
        Instant.ofEpochMilli(rows.getLong(4)));
  }

  /** A version id as stored; ids that do not fit an INTEGER name no version. */
  private static Optional<Integer> number(String versionId) {
    try {
      return Optional.of(Integer.parseInt(versionId));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String quote(String key) {
    return key.length() <= 120 ? "'" + key + "'" : "'" + key.substring(0, 120) + "...'";
  }

  private static String encodeToken(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    try {
      return new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw badMarker(token);
    }
  }

  private static InvalidRequestException badMarker(String token) {
    return new InvalidRequestException("marker '" + token + "' is not one this server returned");
  }

  /** Where a page of policies ended: creation time and name of its last policy. */
  private record CreationKey(long createdMs, String name) {

    String encode() {
      return encodeToken(createdMs + ":" + name);
    }

    static CreationKey decode(String token) {
      String text = decodeToken(token);
      int colon = text.indexOf(':');
      try {
        return new CreationKey(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
      } catch (RuntimeException e) {
        throw badMarker(token);
      }
    }
  }
}
