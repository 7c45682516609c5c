package io.pylon.server.rules;

import io.pylon.domain.rules.sql.SqlEnvironment;
import io.pylon.domain.shadow.ShadowException;
import io.pylon.domain.shadow.ShadowId;
import io.pylon.domain.shadow.ShadowService;
import java.time.Clock;
import java.util.Optional;

/**
 * What one rule's SQL and templates may reach outside the message: the account, the clock and
 * Pylon's own shadows ({@code get_thing_shadow}). One per rule, built when the rule is loaded.
 */
final class RuleEnvironment implements SqlEnvironment {

  private final String ruleName;
  private final String accountId;
  private final Clock clock;
  private final ShadowService shadows;

  RuleEnvironment(String ruleName, String accountId, Clock clock, ShadowService shadows) {
    this.ruleName = ruleName;
    this.accountId = accountId;
    this.clock = clock;
    this.shadows = shadows;
  }

  @Override
  public String accountId() {
    return accountId;
  }

  @Override
  public long nowMillis() {
    return clock.millis();
  }

  @Override
  public Optional<String> thingShadow(String thingName, String shadowNameOrNull) {
    ShadowId id;
    try {
      id =
          shadowNameOrNull == null
              ? ShadowId.classic(thingName)
              : ShadowId.named(thingName, shadowNameOrNull);
    } catch (RuntimeException invalidName) {
      return Optional.empty();
    }
    try {
      return Optional.of(shadows.get(id, Optional.empty()).toString());
    } catch (ShadowException e) {
      if (e.code() == ShadowException.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public String ruleName() {
    return ruleName;
  }
}
