package io.pylon.domain.policy;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.ConflictingResourceUpdateException;
import io.pylon.domain.error.DeleteConflictException;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.LimitExceededException;
import io.pylon.domain.error.MalformedPolicyException;
import io.pylon.domain.error.ResourceAlreadyExistsException;
import io.pylon.domain.error.ResourceNotFoundException;
import io.pylon.domain.error.VersionsLimitExceededException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * AWS IoT policies: creating, versioning, deleting and attaching them, and working out which apply
 * to a principal (GetEffectivePolicies, TestAuthorization, and the broker's authorizer).
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li><b>Rules</b> (AWS API reference): CreatePolicy makes version "1" the default; at most
 *       {@value #MAX_VERSIONS} versions (VersionsLimitExceeded); the default version cannot be
 *       deleted, and a policy can be deleted only when its default version is all that is left and
 *       nothing is attached (DeleteConflict). Version numbers are never reused. Attaching twice is
 *       not an error; DetachPolicy of something not attached is not one either (the model lists no
 *       ResourceNotFound for it). A certificate takes at most {@value #MAX_POLICIES_PER_TARGET}
 *       policies (LimitExceeded); Pylon applies the same limit to thing groups.
 *   <li><b>Documents</b> are checked by the {@link PolicyDocumentValidator} (the policy language)
 *       after the size rule here: at most {@value #MAX_DOCUMENT_CHARACTERS} characters that are not
 *       whitespace, AWS's quota.
 *   <li><b>Concurrency.</b> Changes to a policy are optimistic: read, decide, write on condition
 *       that the generation is unchanged, retry a few times (then ConflictingResourceUpdate).
 *   <li><b>Which policies apply</b>: those attached to the principal (a certificate, or a thing
 *       group and its ancestors), plus, for a thing, those attached to each of its groups and their
 *       ancestors, each once, in that order.
 *   <li><b>Notifications</b> go to the {@link PolicyListener} after the change committed: {@code
 *       policyChanged} when the operative document changes or the policy is deleted, {@code
 *       attachmentsChanged} on attach and detach. Adding a non-default version or deleting one
 *       changes no decision and notifies nobody.
 *   <li><b>Threads.</b> Thread-safe; calls block on the store, so never call from an event loop.
 * </ul>
 */
public final class PolicyService {

  public static final int MAX_VERSIONS = 5;
  public static final int MAX_POLICIES_PER_TARGET = 10;
  public static final int MAX_DOCUMENT_CHARACTERS = 2048;
  public static final int MAX_AUTH_INFOS = 10;

  private static final int UPDATE_ATTEMPTS = 5;
  private static final Pattern POLICY_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
  private static final Pattern VERSION_ID = Pattern.compile("[0-9]+");
  private static final Pattern THING_NAME = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");
  // The model's PolicyDocument length; the quota above is far smaller, but a document this long is
  // refused before it is even scanned.
  private static final int MODEL_DOCUMENT_LENGTH = 404_600;
  private static final int MAX_RESOURCE_LENGTH = 2048;

  private final AwsAccount account;
  private final PolicyStore store;
  private final PolicyDocumentValidator validator;
  private final PolicyTargets targets;
  private final ThingGroupAncestry ancestry;
  private final AuthorizationSimulator simulator;
  private final PolicyTagging tagging;
  private final PolicyListener listener;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public PolicyService(
      AwsAccount account,
      PolicyStore store,
      PolicyDocumentValidator validator,
      PolicyTargets targets,
      ThingGroupAncestry ancestry,
      AuthorizationSimulator simulator,
      PolicyTagging tagging,
      PolicyListener listener,
      Clock clock) {
    this.account = Objects.requireNonNull(account, "account");
    this.store = Objects.requireNonNull(store, "store");
    this.validator = Objects.requireNonNull(validator, "validator");
    this.targets = Objects.requireNonNull(targets, "targets");
    this.ancestry = Objects.requireNonNull(ancestry, "ancestry");
    this.simulator = Objects.requireNonNull(simulator, "simulator");
    this.tagging = Objects.requireNonNull(tagging, "tagging");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** {@code arn:aws:iot:<region>:<account>:policy/<name>}. */
  public String arn(String policyName) {
    return account.arn("policy", policyName);
  }

  // ---- policies -------------------------------------------------------------------------------

  /** CreatePolicy: the policy with version "1" as its default. */
  public Policy createPolicy(String name, String document, List<PolicyTagging.Tag> tags) {
    checkName(name);
    checkDocument(document);
    checkTags(tags);
    Instant now = now();
    Policy policy = new Policy(name, "1", document, now, now, newGenerationId(), 1);
    if (!store.create(policy, new PolicyVersion(name, "1", document, now))) {
      throw new ResourceAlreadyExistsException(
          "Policy cannot be created - name already exists (name=" + name + ")", name, arn(name));
    }
    if (!tags.isEmpty()) {
      tagging.tagged(arn(name), tags);
    }
    return policy;
  }

  /** GetPolicy. */
  public Policy getPolicy(String name) {
    checkName(name);
    return store.find(name).orElseThrow(() -> policyNotFound(name));
  }

  /** The policy if it exists, for callers that decide themselves what absence means. */
  public Optional<Policy> find(String name) {
    return POLICY_NAME.matcher(name).matches() ? store.find(name) : Optional.empty();
  }

  /** ListPolicies, by creation date. */
  public Page<Policy> listPolicies(PageRequest page, boolean ascending) {
    return store.list(page, ascending);
  }

  /** DeletePolicy: only with no version but the default one left and nothing attached. */
  public void deletePolicy(String name) {
    checkName(name);
    for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      Policy policy = getPolicy(name);
      if (store.versions(name).size() > 1) {
        throw new DeleteConflictException(
            "Cannot delete the policy "
                + name
                + " because it has non-default versions; delete them first (DeletePolicyVersion)");
      }
      switch (store.delete(name, policy.generationId())) {
        case DELETED -> {
          tagging.deleted(arn(name));
          listener.policyChanged(name);
          return;
        }
        case NOT_FOUND -> throw policyNotFound(name);
        case ATTACHED ->
            throw new DeleteConflictException(
                "The policy cannot be deleted as the policy is attached to one or more principals"
                    + " (name="
                    + name
                    + ")");
        case CHANGED -> {
          // another change came first: decide again on what is stored now
        }
      }
    }
    throw concurrentChanges(name);
  }

  // ---- versions -------------------------------------------------------------------------------

  /** CreatePolicyVersion: the next version number, made the default when asked. */
  public PolicyVersionDetails createPolicyVersion(
      String name, String document, boolean setAsDefault) {
    checkName(name);
    checkDocument(document);
    for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      Policy policy = getPolicy(name);
      if (store.versions(name).size() >= MAX_VERSIONS) {
        throw new VersionsLimitExceededException(
            "The policy "
                + name
                + " already has the maximum number of versions ("
                + MAX_VERSIONS
                + "); delete one first (DeletePolicyVersion)");
      }
      Instant now = now();
      int number = policy.lastVersionNumber() + 1;
      PolicyVersion version = new PolicyVersion(name, Integer.toString(number), document, now);
      Policy updated =
          new Policy(
              name,
              setAsDefault ? version.versionId() : policy.defaultVersionId(),
              setAsDefault ? document : policy.document(),
              policy.creationDate(),
              now,
              newGenerationId(),
              number);
      if (store.update(policy.generationId(), updated, Optional.of(version), Optional.empty())) {
        if (setAsDefault) {
          listener.policyChanged(name);
        }
        return new PolicyVersionDetails(updated, version);
      }
    }
    throw concurrentChanges(name);
  }

  /** GetPolicyVersion. */
  public PolicyVersionDetails getPolicyVersion(String name, String versionId) {
    checkName(name);
    String id = checkVersionId(versionId);
    Policy policy = getPolicy(name);
    PolicyVersion version =
        store.version(name, id).orElseThrow(() -> versionNotFound(name, versionId));
    return new PolicyVersionDetails(policy, version);
  }

  /** ListPolicyVersions, lowest version number first. */
  public List<PolicyVersionDetails> listPolicyVersions(String name) {
    Policy policy = getPolicy(name);
    return store.versions(name).stream().map(v -> new PolicyVersionDetails(policy, v)).toList();
  }

  /** SetDefaultPolicyVersion; setting the default again changes nothing. */
  public void setDefaultPolicyVersion(String name, String versionId) {
    checkName(name);
    String id = checkVersionId(versionId);
    for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      Policy policy = getPolicy(name);
      PolicyVersion version =
          store.version(name, id).orElseThrow(() -> versionNotFound(name, versionId));
      if (policy.defaultVersionId().equals(id)) {
        return;
      }
      Policy updated =
          new Policy(
              name,
              id,
              version.document(),
              policy.creationDate(),
              now(),
              newGenerationId(),
              policy.lastVersionNumber());
      if (store.update(policy.generationId(), updated, Optional.empty(), Optional.empty())) {
        listener.policyChanged(name);
        return;
      }
    }
    throw concurrentChanges(name);
  }

  /** DeletePolicyVersion: any version but the default. */
  public void deletePolicyVersion(String name, String versionId) {
    checkName(name);
    String id = checkVersionId(versionId);
    for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      Policy policy = getPolicy(name);
      if (store.version(name, id).isEmpty()) {
        throw versionNotFound(name, versionId);
      }
      if (policy.defaultVersionId().equals(id)) {
        throw new DeleteConflictException(
            "Cannot delete the default version "
                + id
                + " of policy "
                + name
                + "; make another version the default first, or delete the policy");
      }
      Policy updated =
          new Policy(
              name,
              policy.defaultVersionId(),
              policy.document(),
              policy.creationDate(),
              now(),
              newGenerationId(),
              policy.lastVersionNumber());
      if (store.update(policy.generationId(), updated, Optional.empty(), Optional.of(id))) {
        return;
      }
    }
    throw concurrentChanges(name);
  }

  // ---- attachments ----------------------------------------------------------------------------

  /** AttachPolicy: to a certificate or thing group ARN; attaching again is not an error. */
  public void attachPolicy(String name, String target) {
    checkName(name);
    attach(name, existingTarget("target", target));
  }

  private void attach(String name, PolicyTarget parsed) {
    switch (store.attach(name, parsed, MAX_POLICIES_PER_TARGET, now())) {
      case ATTACHED -> listener.attachmentsChanged(parsed.arn());
      case ALREADY_ATTACHED -> {}
      case NOT_FOUND -> throw policyNotFound(name);
      case LIMIT_REACHED ->
          throw new LimitExceededException(
              "Target "
                  + parsed.arn()
                  + " already has the maximum number of attached policies ("
                  + MAX_POLICIES_PER_TARGET
                  + ")");
    }
  }

  /** DetachPolicy: detaching what is not attached, or an unknown policy, is not an error. */
  public void detachPolicy(String name, String target) {
    checkName(name);
    PolicyTarget parsed = PolicyTarget.parse(account, "target", target);
    if (store.detach(name, parsed.arn())) {
      listener.attachmentsChanged(parsed.arn());
    }
  }

  /** AttachPrincipalPolicy (deprecated): AttachPolicy with the principal as target. */
  public void attachPrincipalPolicy(String name, String principal) {
    checkName(name);
    attach(name, existingTarget("principal", principal));
  }

  /** DetachPrincipalPolicy (deprecated): unlike DetachPolicy, an unknown policy is NotFound. */
  public void detachPrincipalPolicy(String name, String principal) {
    getPolicy(name);
    PolicyTarget parsed = PolicyTarget.parse(account, "principal", principal);
    if (store.detach(name, parsed.arn())) {
      listener.attachmentsChanged(parsed.arn());
    }
  }

  /**
   * ListAttachedPolicies: names of the policies attached to the target, in name order; with {@code
   * recursive} for a thing group, followed by those of each ancestor group, parent first.
   */
  public Page<String> listAttachedPolicies(String target, boolean recursive, PageRequest page) {
    PolicyTarget parsed = existingTarget("target", target);
    Set<String> names = new LinkedHashSet<>(store.attachedTo(parsed.arn()));
    if (recursive && parsed.kind() == PolicyTarget.Kind.THING_GROUP) {
      for (String ancestor : ancestorsOf(parsed.id())) {
        names.addAll(store.attachedTo(groupArn(ancestor)));
      }
    }
    return ListPaging.page(List.copyOf(names), page);
  }

  /** ListPrincipalPolicies (deprecated): names of the policies attached to the principal. */
  public Page<String> listPrincipalPolicies(String principal, PageRequest page, boolean ascending) {
    PolicyTarget parsed = existingTarget("principal", principal);
    List<String> names = new ArrayList<>(store.attachedTo(parsed.arn()));
    if (!ascending) {
      names.sort(Comparator.reverseOrder());
    }
    return ListPaging.page(names, page);
  }

  /** ListTargetsForPolicy: certificate and thing group ARNs, in ARN order. */
  public Page<String> listTargetsForPolicy(String name, PageRequest page) {
    getPolicy(name);
    return store.targetsOf(name, Optional.empty(), page, true);
  }

  /** ListPolicyPrincipals (deprecated): the certificates the policy is attached to. */
  public Page<String> listPolicyPrincipals(String name, PageRequest page, boolean ascending) {
    getPolicy(name);
    return store.targetsOf(name, Optional.of(PolicyTarget.Kind.CERTIFICATE), page, ascending);
  }

  /**
   * Whether any policy is attached to the target, for DeleteCertificate (identity's
   * CertificateAttachments.hasPolicies).
   */
  public boolean hasAttachedPolicies(String target) {
    return !store.attachedTo(target).isEmpty();
  }

  /**
   * Detaches every policy from a certificate or thing group that is being deleted
   * (DeleteCertificate with forceDelete, DeleteThingGroup).
   */
  public void targetDeleted(String target) {
    if (!store.detachAll(target).isEmpty()) {
      listener.attachmentsChanged(target);
    }
  }

  // ---- what applies ---------------------------------------------------------------------------

  /**
   * GetEffectivePolicies: the policies attached to {@code principal} (a certificate, or a thing
   * group and its ancestors) and, given a thing, to its groups and their ancestors.
   */
  public List<EffectivePolicy> getEffectivePolicies(
      Optional<String> principal, Optional<String> thingName) {
    if (principal.isEmpty() && thingName.isEmpty()) {
      throw new InvalidRequestException("principal or thingName is required");
    }
    Set<String> names = new LinkedHashSet<>();
    principal.ifPresent(p -> names.addAll(policiesOfPrincipal(existingTarget("principal", p))));
    thingName.ifPresent(t -> names.addAll(policiesOfThing(t)));
    return effective(names);
  }

  /**
   * The policies that decide for a device: those attached to its certificate and, when the
   * connection is associated with a thing (client id = name of a thing attached to the
   * certificate), those of the thing's groups and their ancestors. For the broker's authorizer; an
   * unknown certificate or thing contributes nothing.
   */
  public List<EffectivePolicy> effectivePolicies(String certificateArn, Optional<String> thing) {
    Set<String> names = new LinkedHashSet<>(store.attachedTo(certificateArn));
    thing.ifPresent(
        t -> {
          if (ancestry.groupsOf(t).isPresent()) {
            names.addAll(policiesOfThing(t));
          }
        });
    return effective(names);
  }

  /** TestAuthorization: each question answered over the policies chosen as the request says. */
  public List<AuthResult> testAuthorization(AuthorizationTest test) {
    if (test.authInfos().isEmpty() || test.authInfos().size() > MAX_AUTH_INFOS) {
      throw new InvalidRequestException(
          "authInfos must hold between 1 and " + MAX_AUTH_INFOS + " entries");
    }
    for (AuthInfo info : test.authInfos()) {
      for (String resource : info.resources()) {
        if (resource.length() > MAX_RESOURCE_LENGTH) {
          throw new InvalidRequestException(
              "a resource in authInfos is longer than " + MAX_RESOURCE_LENGTH + " characters");
        }
      }
    }
    // The client id brings in a thing's groups only if it names a thing, as on a real connection.
    Optional<String> thingName =
        test.clientId()
            .filter(id -> THING_NAME.matcher(id).matches())
            .filter(id -> ancestry.groupsOf(id).isPresent());
    Set<String> names = new LinkedHashSet<>();
    test.principal()
        .ifPresent(p -> names.addAll(policiesOfPrincipal(existingTarget("principal", p))));
    thingName.ifPresent(t -> names.addAll(policiesOfThing(t)));
    for (String added : test.policyNamesToAdd()) {
      names.add(getPolicy(added).name());
    }
    test.policyNamesToSkip().forEach(names::remove);
    List<EffectivePolicy> policies = effective(names);
    return test.authInfos().stream()
        .map(
            info ->
                simulator.simulate(
                    new AuthorizationSimulator.Question(
                        test.principal(), test.clientId(), thingName, policies, info)))
        .toList();
  }

  // ---- helpers --------------------------------------------------------------------------------

  private List<String> policiesOfPrincipal(PolicyTarget target) {
    List<String> names = new ArrayList<>(store.attachedTo(target.arn()));
    if (target.kind() == PolicyTarget.Kind.THING_GROUP) {
      for (String ancestor : ancestorsOf(target.id())) {
        names.addAll(store.attachedTo(groupArn(ancestor)));
      }
    }
    return names;
  }

  private List<String> policiesOfThing(String thingName) {
    if (!THING_NAME.matcher(thingName).matches()) {
      throw new InvalidRequestException(
          "thingName must match [a-zA-Z0-9:_-]{1,128}; was '" + thingName + "'");
    }
    List<String> groups =
        ancestry
            .groupsOf(thingName)
            .orElseThrow(
                () -> new ResourceNotFoundException("Thing " + thingName + " cannot be found."));
    List<String> names = new ArrayList<>();
    for (String group : groups) {
      names.addAll(store.attachedTo(groupArn(group)));
      for (String ancestor : ancestorsOf(group)) {
        names.addAll(store.attachedTo(groupArn(ancestor)));
      }
    }
    return names;
  }

  private List<String> ancestorsOf(String group) {
    // A group deleted between reading its membership and here has no ancestors left to add.
    return ancestry.ancestorsOf(group).orElse(List.of());
  }

  private List<EffectivePolicy> effective(Set<String> names) {
    List<EffectivePolicy> policies = new ArrayList<>();
    for (String name : names) {
      // A policy detached and deleted since its name was read no longer applies.
      store
          .find(name)
          .ifPresent(
              p ->
                  policies.add(
                      new EffectivePolicy(
                          p.name(), arn(p.name()), p.defaultVersionId(), p.document())));
    }
    return policies;
  }

  private String groupArn(String group) {
    return account.arn("thinggroup", group);
  }

  private PolicyTarget existingTarget(String member, String target) {
    PolicyTarget parsed = PolicyTarget.parse(account, member, target);
    boolean exists =
        switch (parsed.kind()) {
          case CERTIFICATE -> targets.certificateExists(parsed.id());
          case THING_GROUP -> targets.thingGroupExists(parsed.id());
        };
    if (!exists) {
      throw new ResourceNotFoundException(
          (parsed.kind() == PolicyTarget.Kind.CERTIFICATE ? "Certificate " : "Thing group ")
              + parsed.id()
              + " cannot be found.");
    }
    return parsed;
  }

  private static void checkName(String name) {
    if (name == null || !POLICY_NAME.matcher(name).matches()) {
      throw new InvalidRequestException(
          "policyName must be 1 to 128 characters of [a-zA-Z0-9_+=,.@-]; was '" + name + "'");
    }
  }

  private void checkDocument(String document) {
    if (document == null) {
      throw new InvalidRequestException("policyDocument is required");
    }
    if (document.length() > MODEL_DOCUMENT_LENGTH) {
      throw new InvalidRequestException(
          "policyDocument must be at most " + MODEL_DOCUMENT_LENGTH + " characters");
    }
    long significant = document.chars().filter(c -> !Character.isWhitespace(c)).count();
    if (significant > MAX_DOCUMENT_CHARACTERS) {
      throw new MalformedPolicyException(
          "The policy document has "
              + significant
              + " characters other than whitespace; at most "
              + MAX_DOCUMENT_CHARACTERS
              + " are allowed");
    }
    validator.validate(document);
  }

  private static void checkTags(List<PolicyTagging.Tag> tags) {
    for (PolicyTagging.Tag tag : tags) {
      if (tag.key().isEmpty() || tag.key().length() > 128) {
        throw new InvalidRequestException("a tag Key must be 1 to 128 characters");
      }
      if (tag.value().length() > 256) {
        throw new InvalidRequestException("a tag Value must be at most 256 characters");
      }
    }
  }

  /**
   * The version id in stored form. The model allows any digits; ids are made without leading zeros
   * and fit an int, so anything else names no version.
   */
  private static String checkVersionId(String versionId) {
    if (versionId == null || !VERSION_ID.matcher(versionId).matches()) {
      throw new InvalidRequestException(
          "policyVersionId must be a version number; was '" + versionId + "'");
    }
    return versionId;
  }

  /** Milliseconds, which is what stores keep and dates on the wire carry. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private String newGenerationId() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static ResourceNotFoundException policyNotFound(String name) {
    return new ResourceNotFoundException("Policy not found (name=" + name + ")");
  }

  private static ResourceNotFoundException versionNotFound(String name, String versionId) {
    return new ResourceNotFoundException(
        "Version " + versionId + " of policy " + name + " cannot be found.");
  }

  private static ConflictingResourceUpdateException concurrentChanges(String name) {
    return new ConflictingResourceUpdateException(
        "The policy " + name + " was changed concurrently; try again");
  }
}
