package io.pylon.server.authorization;

import io.pylon.domain.policy.language.NamedPolicy;
import io.pylon.domain.policy.language.PolicyContext;
import io.pylon.domain.policy.language.PolicyEvaluator;
import io.pylon.domain.policy.language.PreparedPolicies;
import java.util.List;
import java.util.Optional;

/**
 * Loads a device's effective policies and binds them to its context. Blocks on storage: runs on the
 * authentication pool at CONNECT and on the refresh thread after changes, never on an event loop.
 */
final class DevicePolicyLoader {

  private final PolicyDocuments documents;
  private final AttachedThing.Lookup things;

  DevicePolicyLoader(PolicyDocuments documents, AttachedThing.Lookup things) {
    this.documents = documents;
    this.things = things;
  }

  PreparedPolicies load(DeviceContext device) {
    Optional<AttachedThing> thing = things.find(device.certificateArn(), device.clientId());
    List<NamedPolicy> named =
        documents.effective(device.certificateArn(), thing.map(AttachedThing::name));
    PolicyContext.Builder context =
        PolicyContext.builder().clientId(device.clientId()).certificate(device.certificate());
    device.sourceIp().ifPresent(context::sourceIp);
    thing.ifPresent(
        t -> context.attachedThing(t.name(), t.typeName().orElse(null), t.attributes()));
    return PolicyEvaluator.prepare(named, context.build());
  }
}
