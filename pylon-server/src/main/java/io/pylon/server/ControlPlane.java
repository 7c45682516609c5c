package io.pylon.server;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.identity.CaCertificateService;
import io.pylon.domain.identity.CertificateAttachments;
import io.pylon.domain.identity.CertificateIssuer;
import io.pylon.domain.identity.CertificateService;
import io.pylon.domain.identity.IdentityListeners;
import io.pylon.domain.policy.PolicyListeners;
import io.pylon.domain.policy.PolicyService;
import io.pylon.domain.policy.PolicySimulator;
import io.pylon.domain.policy.PolicyTagging;
import io.pylon.domain.policy.PolicyTargets;
import io.pylon.domain.policy.ThingGroupAncestry;
import io.pylon.domain.policy.language.PolicyDocument;
import io.pylon.domain.registry.ObservedRegistryStores;
import io.pylon.domain.registry.PrincipalDirectory;
import io.pylon.domain.registry.RegistryListener;
import io.pylon.domain.registry.RegistryStores;
import io.pylon.domain.registry.RegistryTaggableResources;
import io.pylon.domain.registry.ThingGroup;
import io.pylon.domain.registry.ThingGroupService;
import io.pylon.domain.registry.ThingPrincipalService;
import io.pylon.domain.registry.ThingService;
import io.pylon.domain.registry.ThingTypeService;
import io.pylon.domain.rules.DestinationConfirmations;
import io.pylon.domain.rules.TopicRuleCheck;
import io.pylon.domain.rules.TopicRuleDestinationService;
import io.pylon.domain.rules.TopicRuleListeners;
import io.pylon.domain.rules.TopicRuleService;
import io.pylon.domain.shadow.ShadowLimits;
import io.pylon.domain.shadow.ShadowService;
import io.pylon.domain.tagging.TaggableResources;
import io.pylon.domain.tagging.TaggingService;
import io.pylon.http.identity.CaCertificatesApi;
import io.pylon.http.identity.CertificatesApi;
import io.pylon.http.policy.PoliciesApi;
import io.pylon.http.registry.ThingGroupsApi;
import io.pylon.http.registry.ThingPrincipalsApi;
import io.pylon.http.registry.ThingTypesApi;
import io.pylon.http.registry.ThingsApi;
import io.pylon.http.rest.RestApi;
import io.pylon.http.rules.TopicRulesApi;
import io.pylon.http.shadow.ShadowApi;
import io.pylon.http.tagging.TagsApi;
import io.pylon.server.authorization.AttachedThing;
import io.pylon.server.authorization.LivePolicies;
import io.pylon.server.authorization.PolicyDocuments;
import io.pylon.server.authorization.RestCallerPolicies;
import io.pylon.server.shadow.ShadowPublisher;
import io.pylon.store.Database;
import io.pylon.store.identity.JdbcCaCertificateStore;
import io.pylon.store.identity.JdbcCertificateStore;
import io.pylon.store.policy.JdbcPolicyStore;
import io.pylon.store.registry.JdbcRegistryStores;
import io.pylon.store.rules.JdbcTopicRuleDestinationStore;
import io.pylon.store.rules.JdbcTopicRuleStore;
import io.pylon.store.shadow.JdbcShadowStore;
import io.pylon.store.tagging.JdbcTagStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The IoT domain's services over one database, wired to each other: the registry, identity
 * (certificates and CAs), policies and tags, and the refresh of connected devices' policies when
 * any of them changes. The services need each other through small ports (a certificate cannot be
 * deleted while things or policies are attached; a policy is attached only to a certificate or
 * thing group that exists), which are implemented here, in one place.
 */
final class ControlPlane {

  private final AwsAccount account;
  private final IdentityListeners identityListeners = new IdentityListeners();
  private final CertificateService certificates;
  private final CaCertificateService caCertificates;
  private final TaggingService tagging;
  private final ThingTypeService thingTypes;
  private final ThingService things;
  private final ThingGroupService thingGroups;
  private final ThingPrincipalService thingPrincipals;
  private final PolicyService policies;
  private final LivePolicies livePolicies;
  private final RestCallerPolicies restCallerPolicies;
  private final Clock clock;
  private final ShadowService shadows;
  private final ShadowPublisher shadowPublisher;
  private final TopicRuleListeners topicRuleListeners = new TopicRuleListeners();
  private final TopicRuleDestinationService topicRuleDestinations;
  private final TopicRuleService topicRules;

  /**
   * @param destinationConfirmations sends the confirmation requests of topic rule destinations
   * @param restBaseUrl this server's REST base URL as clients reach it ({@code https://host:port}),
   *     for the {@code enableUrl} of those requests; asked only once the server runs
   * @param ruleCheck checks a topic rule as the rules runtime will run it, before it is saved
   */
  ControlPlane(
      AwsAccount account,
      Database database,
      CertificateIssuer issuer,
      Clock clock,
      ScheduledExecutorService policyRefresher,
      DestinationConfirmations destinationConfirmations,
      Supplier<String> restBaseUrl,
      TopicRuleCheck ruleCheck,
      ShadowLimits shadowLimits) {
    this.account = account;
    this.clock = clock;
    JdbcCertificateStore certificateStore = new JdbcCertificateStore(database);
    JdbcCaCertificateStore caStore = new JdbcCaCertificateStore(database);
    this.certificates =
        new CertificateService(
            account,
            certificateStore,
            caStore,
            issuer,
            new Attachments(),
            identityListeners,
            clock);
    this.caCertificates =
        new CaCertificateService(account, caStore, certificateStore, identityListeners, clock);

    RegistryStores plainStores = JdbcRegistryStores.create(database);
    RegistryStores stores = ObservedRegistryStores.of(plainStores, new RegistryChanges());
    this.tagging =
        new TaggingService(
            new JdbcTagStore(database),
            TaggableResources.anyOf(
                List.of(
                    new RegistryTaggableResources(account, plainStores),
                    this::isPolicy,
                    this::isTopicRule)));
    this.thingTypes = new ThingTypeService(account, stores, tagging, clock);
    this.things = new ThingService(account, stores, thingTypes);
    this.thingGroups = new ThingGroupService(account, stores, tagging, clock);
    this.thingPrincipals = new ThingPrincipalService(stores, new Principals());

    PolicyListeners policyListeners = new PolicyListeners();
    this.policies =
        new PolicyService(
            account,
            new JdbcPolicyStore(database),
            PolicyDocument::parse,
            new Targets(),
            new Ancestry(),
            new PolicySimulator(),
            new PolicyTags(),
            policyListeners,
            clock);
    PolicyDocuments documents = new PolicyDocuments(policies);
    this.livePolicies = new LivePolicies(documents, this::attachedThing, policyRefresher);
    policyListeners.add(livePolicies);
    this.restCallerPolicies = RestCallerPolicies.of(account, certificates, documents);

    // Shadows need no registered thing (as on AWS), so they depend on nothing above.
    this.shadows = new ShadowService(new JdbcShadowStore(database), clock, shadowLimits);
    this.shadowPublisher = new ShadowPublisher(clock);

    // Topic rules: the control plane only. The rules runtime follows changes through
    // topicRuleListeners() and asks topicRuleDestinations() before each HTTP action.
    this.topicRuleDestinations =
        new TopicRuleDestinationService(
            account,
            new JdbcTopicRuleDestinationStore(database),
            destinationConfirmations,
            restBaseUrl,
            clock);
    this.topicRules =
        new TopicRuleService(
            account,
            new JdbcTopicRuleStore(database),
            ruleCheck,
            topicRuleDestinations,
            tagging,
            topicRuleListeners,
            clock);
  }

  /** The REST operations of these services. */
  List<RestApi> restApis() {
    List<RestApi> apis = new ArrayList<>();
    apis.add(new CertificatesApi(certificates));
    apis.add(new CaCertificatesApi(caCertificates));
    apis.add(new ThingsApi(things));
    apis.add(new ThingTypesApi(thingTypes));
    apis.add(new ThingGroupsApi(thingGroups, account));
    apis.add(new ThingPrincipalsApi(thingPrincipals));
    apis.add(new TagsApi(tagging));
    apis.add(new PoliciesApi(policies));
    apis.add(new TopicRulesApi(topicRules, topicRuleDestinations));
    apis.add(
        new ShadowApi(
            shadows,
            shadowPublisher,
            (caller, action, resource) ->
                restCallerPolicies.allows(caller, action, arnPrefix() + resource),
            clock));
    return apis;
  }

  /**
   * {@code arn:aws:iot:<region>:<account>:}, to which shadow resources ({@code thing/T}) are added.
   */
  private String arnPrefix() {
    return "arn:aws:iot:" + account.region() + ':' + account.accountId() + ':';
  }

  IdentityListeners identityListeners() {
    return identityListeners;
  }

  CertificateService certificates() {
    return certificates;
  }

  CaCertificateService caCertificates() {
    return caCertificates;
  }

  ThingService things() {
    return things;
  }

  ThingGroupService thingGroups() {
    return thingGroups;
  }

  ThingPrincipalService thingPrincipals() {
    return thingPrincipals;
  }

  PolicyService policies() {
    return policies;
  }

  LivePolicies livePolicies() {
    return livePolicies;
  }

  /** How the data planes' REST operations authorize their callers. */
  RestCallerPolicies restCallerPolicies() {
    return restCallerPolicies;
  }

  ShadowService shadows() {
    return shadows;
  }

  /** Publishes shadow answers once the broker is attached. */
  ShadowPublisher shadowPublisher() {
    return shadowPublisher;
  }

  TopicRuleService topicRules() {
    return topicRules;
  }

  TopicRuleDestinationService topicRuleDestinations() {
    return topicRuleDestinations;
  }

  /** Where the rules runtime registers to hear of every rule change. */
  TopicRuleListeners topicRuleListeners() {
    return topicRuleListeners;
  }

  /** The thing a device acts as: named like its client id and attached to its certificate. */
  private Optional<AttachedThing> attachedThing(String certificateArn, String clientId) {
    if (!thingPrincipals.isAttached(clientId, certificateArn)) {
      return Optional.empty();
    }
    return things
        .findThing(clientId)
        .map(t -> new AttachedThing(t.name(), t.thingTypeName(), t.attributes()));
  }

  private boolean isTopicRule(String arn) {
    return topicRules != null && topicRules.exists(arn);
  }

  private boolean isPolicy(String arn) {
    return account.resourceOf(arn, "policy").flatMap(policies::find).isPresent();
  }

  private final class Attachments implements CertificateAttachments {
    @Override
    public boolean hasThings(String certificateArn) {
      return !thingPrincipals.thingNamesOf(certificateArn).isEmpty();
    }

    @Override
    public boolean hasPolicies(String certificateArn) {
      return policies.hasAttachedPolicies(certificateArn);
    }

    @Override
    public void detachPolicies(String certificateArn) {
      policies.targetDeleted(certificateArn);
    }
  }

  /** A thing's principal must exist: this server's certificates, by ARN. */
  private final class Principals implements PrincipalDirectory {
    @Override
    public boolean exists(String principal) {
      return account.resourceOf(principal, "cert").flatMap(certificates::find).isPresent();
    }
  }

  private final class Targets implements PolicyTargets {
    @Override
    public boolean certificateExists(String certificateId) {
      return certificates.find(certificateId).isPresent();
    }

    @Override
    public boolean thingGroupExists(String groupName) {
      return thingGroups.findThingGroup(groupName).isPresent();
    }
  }

  private final class Ancestry implements ThingGroupAncestry {
    @Override
    public Optional<List<String>> ancestorsOf(String groupName) {
      return thingGroups.findThingGroup(groupName).map(ControlPlane::parentFirst);
    }

    @Override
    public Optional<List<String>> groupsOf(String thingName) {
      if (things.findThing(thingName).isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(thingGroups.directGroupsOf(thingName));
    }
  }

  private static List<String> parentFirst(ThingGroup group) {
    List<String> rootFirst = group.ancestors();
    List<String> parentFirst = new ArrayList<>(rootFirst);
    java.util.Collections.reverse(parentFirst);
    return parentFirst;
  }

  private final class PolicyTags implements PolicyTagging {
    @Override
    public void tagged(String policyArn, List<PolicyTagging.Tag> tags) {
      // Inside a PolicyTagging, "Tag" names its own record; the tagging service has another.
      List<io.pylon.domain.tagging.Tag> converted = new ArrayList<>(tags.size());
      for (PolicyTagging.Tag tag : tags) {
        converted.add(new io.pylon.domain.tagging.Tag(tag.key(), tag.value()));
      }
      tagging.tagNew(policyArn, converted);
    }

    @Override
    public void deleted(String policyArn) {
      tagging.forget(policyArn);
    }
  }

  /** Registry changes can change a device's effective policies or its policy variables. */
  private final class RegistryChanges implements RegistryListener {
    @Override
    public void thingChanged(String thingName) {
      if (livePolicies != null) {
        livePolicies.requestRefresh();
      }
    }

    @Override
    public void thingGroupChanged(String groupName) {
      if (groupName != null) {
        policies.targetDeleted(thingGroups.arnOf(groupName));
      }
      if (livePolicies != null) {
        livePolicies.requestRefresh();
      }
    }
  }
}
