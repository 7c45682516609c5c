package io.pylon.server.authorization;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.pylon.domain.policy.EffectivePolicy;
import io.pylon.domain.policy.PolicyService;
import io.pylon.domain.policy.language.NamedPolicy;
import io.pylon.domain.policy.language.PolicyContext;
import io.pylon.domain.policy.language.PolicyDocument;
import io.pylon.domain.policy.language.PolicyEvaluator;
import io.pylon.domain.policy.language.PreparedPolicies;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Loads a device's effective policies and binds them to its context. Blocks on storage: runs on the
 * authentication pool at CONNECT and on the refresh thread after changes, never on an event loop.
 */
final class DevicePolicyLoader {

  private final PolicyService policies;
  private final AttachedThing.Lookup things;

  /**
   * Parsed documents by their text: many devices share a few policies, and a document's text
   * decides its meaning, so a policy replaced under the same name and version id cannot be served
   * stale.
   */
  private final Cache<String, PolicyDocument> parsed =
      Caffeine.newBuilder().maximumSize(10_000).build();

  DevicePolicyLoader(PolicyService policies, AttachedThing.Lookup things) {
    this.policies = policies;
    this.things = things;
  }

  PreparedPolicies load(DeviceContext device) {
    Optional<AttachedThing> thing = things.find(device.certificateArn(), device.clientId());
    List<EffectivePolicy> effective =
        policies.effectivePolicies(device.certificateArn(), thing.map(AttachedThing::name));
    List<NamedPolicy> named = new ArrayList<>(effective.size());
    for (EffectivePolicy policy : effective) {
      named.add(
          new NamedPolicy(policy.name(), parsed.get(policy.document(), PolicyDocument::parse)));
    }
    PolicyContext.Builder context =
        PolicyContext.builder().clientId(device.clientId()).certificate(device.certificate());
    device.sourceIp().ifPresent(context::sourceIp);
    thing.ifPresent(
        t -> context.attachedThing(t.name(), t.typeName().orElse(null), t.attributes()));
    return PolicyEvaluator.prepare(named, context.build());
  }
}
