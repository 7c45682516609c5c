package io.pylon.domain.rules.sql;

import java.util.Optional;

/** What SQL functions may reach outside the message: the account, the clock, device shadows. */
public interface SqlEnvironment {

  /** {@code accountid()}. */
  String accountId();

  /** {@code timestamp()}, epoch milliseconds. */
  long nowMillis();

  /**
   * {@code get_thing_shadow}: the JSON of the whole shadow document ({@code state}, {@code
   * metadata}, {@code version}, ...), empty if the thing has no such shadow.
   */
  Optional<String> thingShadow(String thingName, String shadowNameOrNull);

  /** The rule being evaluated, for error messages. */
  String ruleName();
}
