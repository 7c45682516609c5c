package io.pylon.domain.rules.sql;

import io.pylon.domain.error.InvalidRequestException;

/** The {@code awsIotSqlVersion} of a topic rule; it decides grammar, functions and number rules. */
public enum SqlVersion {
  V2015_10_08("2015-10-08"),
  V2016_03_23("2016-03-23"),
  /** AWS's moving preview; Pylon treats it as 2016-03-23. */
  BETA("beta");

  private final String wireName;

  SqlVersion(String wireName) {
    this.wireName = wireName;
  }

  /** The version as it appears in {@code awsIotSqlVersion}. */
  public String wireName() {
    return wireName;
  }

  /** {@code null} is AWS's default, 2015-10-08; anything unknown is refused. */
  public static SqlVersion fromWire(String s) {
    if (s == null) {
      return V2015_10_08;
    }
    for (SqlVersion v : values()) {
      if (v.wireName.equals(s)) {
        return v;
      }
    }
    throw new InvalidRequestException(
        "Unsupported awsIotSqlVersion '" + s + "' (expected 2015-10-08, 2016-03-23 or beta)");
  }

  /** Whether the 2016-03-23 features (literals, nested queries, newer functions) apply. */
  boolean atLeast2016() {
    return this != V2015_10_08;
  }
}
