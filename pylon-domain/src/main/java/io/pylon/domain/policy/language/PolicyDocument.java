package io.pylon.domain.policy.language;

import io.pylon.domain.error.MalformedPolicyException;
import java.util.List;

/**
 * A parsed, validated and compiled IoT policy document. Immutable and safe to share between
 * threads; parse once (when the policy version is created or loaded) and reuse.
 */
public final class PolicyDocument {

  /** AWS IoT's quota on a policy document, counted without whitespace. */
  public static final int MAX_LENGTH = 2048;

  public static final String VERSION_2012_10_17 = "2012-10-17";
  public static final String VERSION_2008_10_17 = "2008-10-17";

  private final String version;
  private final String id;
  private final List<Statement> statements;
  private final List<CompiledStatement> compiled;

  PolicyDocument(String version, String id, List<CompiledStatement> compiled) {
    this.version = version;
    this.id = id;
    this.compiled = List.copyOf(compiled);
    this.statements = this.compiled.stream().map(c -> c.statement).toList();
  }

  /**
   * Parses and validates a policy document within the IoT size quota of {@link #MAX_LENGTH}
   * characters excluding whitespace.
   *
   * @throws MalformedPolicyException naming what is wrong: not JSON, too long, an unknown element,
   *     a bad Effect, a missing Action or Resource, an unknown condition operator, ...
   */
  public static PolicyDocument parse(String json) {
    return parse(json, MAX_LENGTH);
  }

  /**
   * As {@link #parse(String)} with another size limit, e.g. for IAM-style documents evaluated with
   * the same engine.
   */
  public static PolicyDocument parse(String json, int maxLengthWithoutWhitespace) {
    return PolicyParser.parse(json, maxLengthWithoutWhitespace);
  }

  /** {@code 2012-10-17} or {@code 2008-10-17} (the IAM default when the document has none). */
  public String version() {
    return version;
  }

  /** The optional top-level {@code Id}, or null. */
  public String id() {
    return id;
  }

  /** Policy variables are substituted only in {@code 2012-10-17} documents, as in IAM. */
  public boolean substitutesVariables() {
    return version.equals(VERSION_2012_10_17);
  }

  public List<Statement> statements() {
    return statements;
  }

  List<CompiledStatement> compiled() {
    return compiled;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PolicyDocument other
        && version.equals(other.version)
        && java.util.Objects.equals(id, other.id)
        && statements.equals(other.statements);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(version, id, statements);
  }

  @Override
  public String toString() {
    return "PolicyDocument[version=" + version + ", statements=" + statements + "]";
  }
}
