package io.pylon.server.authorization;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.pylon.domain.policy.EffectivePolicy;
import io.pylon.domain.policy.PolicyService;
import io.pylon.domain.policy.language.NamedPolicy;
import io.pylon.domain.policy.language.PolicyDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A certificate's effective policies, parsed: what MQTT connections and REST calls of devices are
 * both judged by. Blocks on storage; never call it on an event loop.
 */
public final class PolicyDocuments {

  private final PolicyService policies;

  /**
   * Parsed documents by their text: many devices share a few policies, and a document's text
   * decides its meaning, so a policy replaced under the same name and version id cannot be served
   * stale.
   */
  private final Cache<String, PolicyDocument> parsed =
      Caffeine.newBuilder().maximumSize(10_000).build();

  public PolicyDocuments(PolicyService policies) {
    this.policies = policies;
  }

  /**
   * The policies in effect for a certificate: attached to it, and with {@code thingName} those of
   * that thing's groups and their ancestors.
   */
  public List<NamedPolicy> effective(String certificateArn, Optional<String> thingName) {
    List<EffectivePolicy> effective = policies.effectivePolicies(certificateArn, thingName);
    List<NamedPolicy> named = new ArrayList<>(effective.size());
    for (EffectivePolicy policy : effective) {
      named.add(
          new NamedPolicy(policy.name(), parsed.get(policy.document(), PolicyDocument::parse)));
    }
    return named;
  }
}
