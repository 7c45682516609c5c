package io.pylon.server.rules.action;

import io.pylon.domain.rules.sql.SqlEnvironment;
import java.util.Optional;

/** A rule environment for action tests: one account, a fixed time, no shadows. */
record FixedEnvironment(long nowMillis) implements SqlEnvironment {

  @Override
  public String accountId() {
    return "123456789012";
  }

  @Override
  public Optional<String> thingShadow(String thingName, String shadowNameOrNull) {
    return Optional.empty();
  }

  @Override
  public String ruleName() {
    return "r";
  }
}
