package io.pylon.domain.rules;

/**
 * Delivers the confirmation request of an HTTP topic rule destination: a POST to its confirmation
 * URL with the token that ConfirmTopicRuleDestination takes back. Implementations must not block
 * the caller (the request goes out in the background) and must not throw.
 */
@FunctionalInterface
public interface DestinationConfirmations {

  /**
   * Sends the confirmation request for {@code destination}.
   *
   * @param confirmationToken the token the endpoint's owner passes to ConfirmTopicRuleDestination
   * @param enableUrl this server's {@code /confirmdestination/{token}} URL
   */
  void send(TopicRuleDestination destination, String confirmationToken, String enableUrl);

  /** Sends nothing; for tests and for servers that confirm destinations by hand. */
  DestinationConfirmations NONE = (destination, token, enableUrl) -> {};
}
