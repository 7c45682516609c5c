package io.pylon.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.DeleteConflictException;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.LimitExceededException;
import io.pylon.domain.error.MalformedPolicyException;
import io.pylon.domain.error.ResourceAlreadyExistsException;
import io.pylon.domain.error.ResourceNotFoundException;
import io.pylon.domain.error.VersionsLimitExceededException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyServiceTest {

  static final AwsAccount ACCOUNT = new AwsAccount("123456789012", "us-east-1");
  static final String DOC = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
  static final String CERT_ID = "a".repeat(64);
  static final String CERT = ACCOUNT.arn("cert", CERT_ID);
  static final String OTHER_CERT = ACCOUNT.arn("cert", "b".repeat(64));
  static final String ROOT = ACCOUNT.arn("thinggroup", "root");
  static final String CHILD = ACCOUNT.arn("thinggroup", "child");

  final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00.123456Z"));
  final Set<String> certificates = new HashSet<>(Set.of(CERT_ID, "b".repeat(64)));
  // group -> parent
  final Map<String, String> parents = new HashMap<>(Map.of("child", "root", "leaf", "child"));
  final Set<String> groups = new HashSet<>(Set.of("root", "child", "leaf", "lonely"));
  final Map<String, List<String>> thingGroups = new HashMap<>(Map.of("lamp-1", List.of("leaf")));
  final List<String> events = new ArrayList<>();
  final List<AuthorizationSimulator.Question> questions = new ArrayList<>();
  final List<String> tagged = new ArrayList<>();
  final MemoryPolicyStore store = new MemoryPolicyStore();

  final PolicyService service = service(store);

  PolicyService service(PolicyStore policyStore) {
    PolicyListeners listeners = new PolicyListeners();
    listeners.add(
        new PolicyListener() {
          @Override
          public void policyChanged(String policyName) {
            events.add("policy " + policyName);
          }

          @Override
          public void attachmentsChanged(String target) {
            events.add("attachments " + target);
          }
        });
    return new PolicyService(
        ACCOUNT,
        policyStore,
        document -> {
          if (!document.startsWith("{")) {
            throw new MalformedPolicyException("not JSON");
          }
        },
        new PolicyTargets() {
          @Override
          public boolean certificateExists(String certificateId) {
            return certificates.contains(certificateId);
          }

          @Override
          public boolean thingGroupExists(String groupName) {
            return groups.contains(groupName);
          }
        },
        new ThingGroupAncestry() {
          @Override
          public Optional<List<String>> ancestorsOf(String groupName) {
            if (!groups.contains(groupName)) {
              return Optional.empty();
            }
            List<String> chain = new ArrayList<>();
            for (String g = parents.get(groupName); g != null; g = parents.get(g)) {
              chain.add(g);
            }
            return Optional.of(chain);
          }

          @Override
          public Optional<List<String>> groupsOf(String thingName) {
            return Optional.ofNullable(thingGroups.get(thingName));
          }
        },
        question -> {
          questions.add(question);
          return new AuthResult(
              question.authInfo(),
              question.policies().isEmpty()
                  ? AuthResult.Decision.IMPLICIT_DENY
                  : AuthResult.Decision.ALLOWED,
              question.policies().stream().map(EffectivePolicy::name).toList(),
              List.of(),
              List.of(),
              List.of());
        },
        new PolicyTagging() {
          @Override
          public void tagged(String policyArn, List<Tag> tags) {
            tagged.add(policyArn + " " + tags);
          }

          @Override
          public void deleted(String policyArn) {
            tagged.add("deleted " + policyArn);
          }
        },
        listeners,
        clock);
  }

  @Test
  void createPolicy_newName_isVersionOneAndDefault() {
    Policy created = service.createPolicy("p1", DOC, List.of());

    assertThat(created.defaultVersionId()).isEqualTo("1");
    assertThat(created.document()).isEqualTo(DOC);
    assertThat(created.creationDate()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123Z"));
    assertThat(created.lastModifiedDate()).isEqualTo(created.creationDate());
    assertThat(created.generationId()).hasSize(64);
    assertThat(service.getPolicy("p1")).isEqualTo(created);
    assertThat(service.arn("p1")).isEqualTo("arn:aws:iot:us-east-1:123456789012:policy/p1");
    assertThat(service.listPolicyVersions("p1"))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.version().versionId()).isEqualTo("1");
              assertThat(v.isDefaultVersion()).isTrue();
            });
  }

  @Test
  void createPolicy_existingName_isAlreadyExistsWithArn() {
    service.createPolicy("p1", DOC, List.of());

    assertThatThrownBy(() -> service.createPolicy("p1", DOC, List.of()))
        .isInstanceOfSatisfying(
            ResourceAlreadyExistsException.class,
            e -> {
              assertThat(e.resourceId()).contains("p1");
              assertThat(e.resourceArn()).contains(service.arn("p1"));
            });
  }

  @Test
  void createPolicy_badNames_areInvalidRequests() {
    assertThatThrownBy(() -> service.createPolicy("", DOC, List.of()))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> service.createPolicy("a/b", DOC, List.of()))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> service.createPolicy("x".repeat(129), DOC, List.of()))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(service.createPolicy("Az09_+=,.@-", DOC, List.of()).name()).isEqualTo("Az09_+=,.@-");
  }

  @Test
  void createPolicy_documentRefusedByValidator_isMalformedAndNotStored() {
    assertThatThrownBy(() -> service.createPolicy("p1", "nope", List.of()))
        .isInstanceOf(MalformedPolicyException.class);
    assertThat(store.find("p1")).isEmpty();
  }

  @Test
  void createPolicy_documentOverQuotaWithoutWhitespace_isMalformed() {
    String padded = "{" + " ".repeat(5000) + "\"a\":\"" + "x".repeat(2000) + "\"}";
    assertThat(service.createPolicy("spaces-do-not-count", padded, List.of()).document())
        .isEqualTo(padded);

    String big = "{\"a\":\"" + "x".repeat(2043) + "\"}";
    assertThatThrownBy(() -> service.createPolicy("p1", big, List.of()))
        .isInstanceOf(MalformedPolicyException.class)
        .hasMessageContaining("2048");
  }

  @Test
  void createPolicy_withTags_handsThemToTaggingAndDeleteRemovesThem() {
    service.createPolicy("p1", DOC, List.of(new PolicyTagging.Tag("env", "dev")));
    service.deletePolicy("p1");

    assertThat(tagged)
        .containsExactly(
            service.arn("p1") + " [Tag[key=env, value=dev]]", "deleted " + service.arn("p1"));
  }

  @Test
  void createPolicy_emptyTagKey_isInvalidRequest() {
    assertThatThrownBy(
            () -> service.createPolicy("p1", DOC, List.of(new PolicyTagging.Tag("", "v"))))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void getPolicy_unknown_isNotFound() {
    assertThatThrownBy(() -> service.getPolicy("nope"))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void createPolicyVersion_setAsDefault_changesOperativeDocumentAndNotifies() {
    Policy created = service.createPolicy("p1", DOC, List.of());
    clock.advance(Duration.ofSeconds(5));
    String doc2 = "{\"v\":2}";

    PolicyVersionDetails v2 = service.createPolicyVersion("p1", doc2, true);

    assertThat(v2.version().versionId()).isEqualTo("2");
    assertThat(v2.isDefaultVersion()).isTrue();
    Policy now = service.getPolicy("p1");
    assertThat(now.defaultVersionId()).isEqualTo("2");
    assertThat(now.document()).isEqualTo(doc2);
    assertThat(now.creationDate()).isEqualTo(created.creationDate());
    assertThat(now.lastModifiedDate()).isAfter(created.lastModifiedDate());
    assertThat(now.generationId()).isNotEqualTo(created.generationId());
    assertThat(events).containsExactly("policy p1");
  }

  @Test
  void createPolicyVersion_notDefault_keepsDefaultAndNotifiesNobody() {
    service.createPolicy("p1", DOC, List.of());

    PolicyVersionDetails v2 = service.createPolicyVersion("p1", "{\"v\":2}", false);

    assertThat(v2.isDefaultVersion()).isFalse();
    assertThat(service.getPolicy("p1").document()).isEqualTo(DOC);
    assertThat(service.getPolicyVersion("p1", "2").version().document()).isEqualTo("{\"v\":2}");
    assertThat(service.getPolicyVersion("p1", "1").isDefaultVersion()).isTrue();
    assertThat(events).isEmpty();
  }

  @Test
  void createPolicyVersion_sixth_isVersionsLimitExceeded() {
    service.createPolicy("p1", DOC, List.of());
    for (int i = 2; i <= 5; i++) {
      service.createPolicyVersion("p1", DOC, false);
    }

    assertThatThrownBy(() -> service.createPolicyVersion("p1", DOC, false))
        .isInstanceOf(VersionsLimitExceededException.class);
    assertThat(service.listPolicyVersions("p1")).hasSize(5);
  }

  @Test
  void createPolicyVersion_afterDeletingHighest_doesNotReuseItsNumber() {
    service.createPolicy("p1", DOC, List.of());
    service.createPolicyVersion("p1", DOC, false);
    service.deletePolicyVersion("p1", "2");

    assertThat(service.createPolicyVersion("p1", DOC, false).version().versionId()).isEqualTo("3");
    assertThat(service.listPolicyVersions("p1"))
        .extracting(v -> v.version().versionId())
        .containsExactly("1", "3");
  }

  @Test
  void createPolicyVersion_unknownPolicy_isNotFound() {
    assertThatThrownBy(() -> service.createPolicyVersion("nope", DOC, true))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void getPolicyVersion_badOrUnknownId_isInvalidOrNotFound() {
    service.createPolicy("p1", DOC, List.of());

    assertThatThrownBy(() -> service.getPolicyVersion("p1", "x"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> service.getPolicyVersion("p1", "7"))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> service.getPolicyVersion("p1", "99999999999999"))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void setDefaultPolicyVersion_switchesDocumentAndNotifies() {
    service.createPolicy("p1", DOC, List.of());
    service.createPolicyVersion("p1", "{\"v\":2}", false);

    service.setDefaultPolicyVersion("p1", "2");

    assertThat(service.getPolicy("p1").defaultVersionId()).isEqualTo("2");
    assertThat(service.getPolicy("p1").document()).isEqualTo("{\"v\":2}");
    assertThat(service.getPolicyVersion("p1", "1").isDefaultVersion()).isFalse();
    assertThat(events).containsExactly("policy p1");
  }

  @Test
  void setDefaultPolicyVersion_alreadyDefault_changesNothing() {
    Policy created = service.createPolicy("p1", DOC, List.of());

    service.setDefaultPolicyVersion("p1", "1");

    assertThat(service.getPolicy("p1").generationId()).isEqualTo(created.generationId());
    assertThat(events).isEmpty();
  }

  @Test
  void setDefaultPolicyVersion_unknownVersion_isNotFound() {
    service.createPolicy("p1", DOC, List.of());
    assertThatThrownBy(() -> service.setDefaultPolicyVersion("p1", "2"))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void deletePolicyVersion_default_isDeleteConflict() {
    service.createPolicy("p1", DOC, List.of());
    service.createPolicyVersion("p1", DOC, true);

    assertThatThrownBy(() -> service.deletePolicyVersion("p1", "2"))
        .isInstanceOf(DeleteConflictException.class);
    service.deletePolicyVersion("p1", "1");
    assertThat(service.listPolicyVersions("p1"))
        .extracting(v -> v.version().versionId())
        .containsExactly("2");
    assertThatThrownBy(() -> service.deletePolicyVersion("p1", "1"))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void deletePolicy_withNonDefaultVersions_isDeleteConflict() {
    service.createPolicy("p1", DOC, List.of());
    service.createPolicyVersion("p1", DOC, false);

    assertThatThrownBy(() -> service.deletePolicy("p1"))
        .isInstanceOf(DeleteConflictException.class)
        .hasMessageContaining("non-default versions");
    service.deletePolicyVersion("p1", "2");
    service.deletePolicy("p1");
    assertThatThrownBy(() -> service.getPolicy("p1")).isInstanceOf(ResourceNotFoundException.class);
    assertThat(events).containsExactly("policy p1");
  }

  @Test
  void deletePolicy_attached_isDeleteConflictUntilDetached() {
    service.createPolicy("p1", DOC, List.of());
    service.attachPolicy("p1", CERT);

    assertThatThrownBy(() -> service.deletePolicy("p1"))
        .isInstanceOf(DeleteConflictException.class)
        .hasMessageContaining("attached");
    service.detachPolicy("p1", CERT);
    service.deletePolicy("p1");
    assertThat(store.find("p1")).isEmpty();
  }

  @Test
  void deletePolicy_unknown_isNotFound() {
    assertThatThrownBy(() -> service.deletePolicy("nope"))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void deletePolicy_storeReportsConcurrentChange_retriesOnFreshRead() {
    service.createPolicy("p1", DOC, List.of());
    int[] deletes = {0};
    PolicyStore racing =
        new DelegatingStore(store) {
          @Override
          public DeleteResult delete(String name, String expectedGenerationId) {
            return ++deletes[0] == 1
                ? DeleteResult.CHANGED
                : super.delete(name, expectedGenerationId);
          }
        };

    service(racing).deletePolicy("p1");

    assertThat(deletes[0]).isEqualTo(2);
    assertThat(store.find("p1")).isEmpty();
  }

  @Test
  void listPolicies_pagesInCreationOrder() {
    for (String name : List.of("c", "a", "b")) {
      service.createPolicy(name, DOC, List.of());
      clock.advance(Duration.ofSeconds(1));
    }

    Page<Policy> first = service.listPolicies(PageRequest.first(2), true);
    assertThat(first.items()).extracting(Policy::name).containsExactly("c", "a");
    Page<Policy> second = service.listPolicies(new PageRequest(2, first.nextToken()), true);
    assertThat(second.items()).extracting(Policy::name).containsExactly("b");
    assertThat(second.nextToken()).isEmpty();
    assertThat(service.listPolicies(PageRequest.first(5), false).items())
        .extracting(Policy::name)
        .containsExactly("b", "a", "c");
  }

  @Test
  void attachPolicy_certificate_isListedBothWaysAndNotifies() {
    service.createPolicy("p1", DOC, List.of());

    service.attachPolicy("p1", CERT);
    service.attachPolicy("p1", CERT);

    assertThat(service.listAttachedPolicies(CERT, false, PageRequest.firstDefault()).items())
        .containsExactly("p1");
    assertThat(service.listTargetsForPolicy("p1", PageRequest.firstDefault()).items())
        .containsExactly(CERT);
    assertThat(service.hasAttachedPolicies(CERT)).isTrue();
    assertThat(events).containsExactly("attachments " + CERT);
  }

  @Test
  void attachPolicy_unknownPolicyOrTarget_isNotFound() {
    service.createPolicy("p1", DOC, List.of());

    assertThatThrownBy(() -> service.attachPolicy("nope", CERT))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> service.attachPolicy("p1", ACCOUNT.arn("cert", "c".repeat(64))))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> service.attachPolicy("p1", ACCOUNT.arn("thinggroup", "ghost")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void attachPolicy_targetNotAnArnOfThisAccount_isInvalidRequest() {
    service.createPolicy("p1", DOC, List.of());

    assertThatThrownBy(() -> service.attachPolicy("p1", "us-east-1:1234-abcd"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () -> service.attachPolicy("p1", "arn:aws:iot:eu-west-1:123456789012:cert/" + CERT_ID))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> service.attachPolicy("p1", ACCOUNT.arn("thing", "lamp-1")))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void attachPolicy_eleventhToOneCertificate_isLimitExceeded() {
    for (int i = 0; i < 11; i++) {
      service.createPolicy("p" + i, DOC, List.of());
    }
    for (int i = 0; i < 10; i++) {
      service.attachPolicy("p" + i, CERT);
    }

    assertThatThrownBy(() -> service.attachPolicy("p10", CERT))
        .isInstanceOf(LimitExceededException.class);
    service.attachPolicy("p10", OTHER_CERT);
  }

  @Test
  void detachPolicy_notAttachedOrUnknownPolicy_isNoErrorAndNoEvent() {
    service.createPolicy("p1", DOC, List.of());

    service.detachPolicy("p1", CERT);
    service.detachPolicy("nope", CERT);

    assertThat(events).isEmpty();
  }

  @Test
  void principalPolicyCalls_workOnCertificates() {
    service.createPolicy("p1", DOC, List.of());
    service.createPolicy("p2", DOC, List.of());
    service.attachPrincipalPolicy("p1", CERT);
    service.attachPrincipalPolicy("p2", CERT);
    service.attachPolicy("p1", ROOT);

    assertThat(service.listPrincipalPolicies(CERT, PageRequest.firstDefault(), true).items())
        .containsExactly("p1", "p2");
    assertThat(service.listPrincipalPolicies(CERT, PageRequest.firstDefault(), false).items())
        .containsExactly("p2", "p1");
    assertThat(service.listPolicyPrincipals("p1", PageRequest.firstDefault(), true).items())
        .containsExactly(CERT);
    assertThat(service.listTargetsForPolicy("p1", PageRequest.firstDefault()).items())
        .containsExactlyInAnyOrder(CERT, ROOT);

    service.detachPrincipalPolicy("p1", CERT);
    assertThat(service.listPrincipalPolicies(CERT, PageRequest.firstDefault(), true).items())
        .containsExactly("p2");
    assertThatThrownBy(() -> service.detachPrincipalPolicy("nope", CERT))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void listAttachedPolicies_recursive_addsAncestorsPolicies() {
    service.createPolicy("on-root", DOC, List.of());
    service.createPolicy("on-child", DOC, List.of());
    service.createPolicy("on-both", DOC, List.of());
    service.attachPolicy("on-root", ROOT);
    service.attachPolicy("on-both", ROOT);
    service.attachPolicy("on-child", CHILD);
    service.attachPolicy("on-both", CHILD);
    String leaf = ACCOUNT.arn("thinggroup", "leaf");

    assertThat(service.listAttachedPolicies(leaf, false, PageRequest.firstDefault()).items())
        .isEmpty();
    assertThat(service.listAttachedPolicies(leaf, true, PageRequest.firstDefault()).items())
        .containsExactly("on-both", "on-child", "on-root");
    Page<String> first = service.listAttachedPolicies(CHILD, true, PageRequest.first(2));
    assertThat(first.items()).containsExactly("on-both", "on-child");
    assertThat(
            service
                .listAttachedPolicies(CHILD, true, new PageRequest(2, first.nextToken()))
                .items())
        .containsExactly("on-root");
  }

  @Test
  void listAttachedPolicies_unknownTargetOrForeignMarker_fails() {
    assertThatThrownBy(
            () ->
                service.listAttachedPolicies(
                    ACCOUNT.arn("thinggroup", "ghost"), false, PageRequest.firstDefault()))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(
            () ->
                service.listAttachedPolicies(CERT, false, new PageRequest(5, Optional.of("QUJD"))))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void getEffectivePolicies_certificateAndThing_includesGroupAncestorsOnce() {
    service.createPolicy("cert-policy", "{\"c\":1}", List.of());
    service.createPolicy("root-policy", "{\"r\":1}", List.of());
    service.createPolicy("leaf-policy", "{\"l\":1}", List.of());
    service.createPolicy("unrelated", DOC, List.of());
    service.attachPolicy("cert-policy", CERT);
    service.attachPolicy("root-policy", ROOT);
    service.attachPolicy("root-policy", CHILD);
    service.attachPolicy("leaf-policy", ACCOUNT.arn("thinggroup", "leaf"));
    service.attachPolicy("unrelated", ACCOUNT.arn("thinggroup", "lonely"));

    List<EffectivePolicy> effective =
        service.getEffectivePolicies(Optional.of(CERT), Optional.of("lamp-1"));

    assertThat(effective)
        .containsExactly(
            new EffectivePolicy("cert-policy", service.arn("cert-policy"), "1", "{\"c\":1}"),
            new EffectivePolicy("leaf-policy", service.arn("leaf-policy"), "1", "{\"l\":1}"),
            new EffectivePolicy("root-policy", service.arn("root-policy"), "1", "{\"r\":1}"));
    assertThat(service.getEffectivePolicies(Optional.of(CERT), Optional.empty()))
        .extracting(EffectivePolicy::name)
        .containsExactly("cert-policy");
    assertThat(service.effectivePolicies(CERT, Optional.of("lamp-1")))
        .extracting(EffectivePolicy::name)
        .containsExactly("cert-policy", "leaf-policy", "root-policy");
    assertThat(service.effectivePolicies(CERT, Optional.of("no-such-thing")))
        .extracting(EffectivePolicy::name)
        .containsExactly("cert-policy");
  }

  @Test
  void getEffectivePolicies_followsDefaultVersion() {
    service.createPolicy("p1", DOC, List.of());
    service.attachPolicy("p1", CERT);
    service.createPolicyVersion("p1", "{\"v\":2}", true);

    assertThat(service.getEffectivePolicies(Optional.of(CERT), Optional.empty()))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.versionId()).isEqualTo("2");
              assertThat(p.document()).isEqualTo("{\"v\":2}");
            });
  }

  @Test
  void getEffectivePolicies_unknownThingOrNothingGiven_fails() {
    assertThatThrownBy(() -> service.getEffectivePolicies(Optional.of(CERT), Optional.of("ghost")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> service.getEffectivePolicies(Optional.empty(), Optional.empty()))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void testAuthorization_choosesPoliciesAndAsksSimulatorPerAuthInfo() {
    service.createPolicy("attached", DOC, List.of());
    service.createPolicy("skipped", DOC, List.of());
    service.createPolicy("group", DOC, List.of());
    service.createPolicy("added", DOC, List.of());
    service.attachPolicy("attached", CERT);
    service.attachPolicy("skipped", CERT);
    service.attachPolicy("group", ROOT);
    AuthInfo publish =
        new AuthInfo(
            Optional.of(AuthInfo.ActionType.PUBLISH),
            List.of(ACCOUNT.arn("topic", "lamp-1/state")));
    AuthInfo connect =
        new AuthInfo(
            Optional.of(AuthInfo.ActionType.CONNECT), List.of(ACCOUNT.arn("client", "lamp-1")));

    List<AuthResult> results =
        service.testAuthorization(
            new AuthorizationTest(
                Optional.of(CERT),
                Optional.of("lamp-1"),
                List.of(publish, connect),
                List.of("added"),
                List.of("skipped")));

    assertThat(results).extracting(AuthResult::authInfo).containsExactly(publish, connect);
    assertThat(results.get(0).allowed()).containsExactly("attached", "group", "added");
    assertThat(questions)
        .allSatisfy(
            q -> {
              assertThat(q.principal()).contains(CERT);
              assertThat(q.clientId()).contains("lamp-1");
              assertThat(q.thingName()).contains("lamp-1");
            });
  }

  @Test
  void testAuthorization_clientIdNotAThing_addsNoGroupPolicies() {
    service.createPolicy("group", DOC, List.of());
    service.attachPolicy("group", ROOT);
    AuthInfo info = new AuthInfo(Optional.empty(), List.of("*"));

    List<AuthResult> results =
        service.testAuthorization(
            new AuthorizationTest(
                Optional.of(CERT),
                Optional.of("not-a-thing"),
                List.of(info),
                List.of(),
                List.of()));

    assertThat(results.get(0).authDecision()).isEqualTo(AuthResult.Decision.IMPLICIT_DENY);
    assertThat(questions.get(0).thingName()).isEmpty();
  }

  @Test
  void testAuthorization_badInput_fails() {
    AuthInfo info = new AuthInfo(Optional.empty(), List.of("*"));
    assertThatThrownBy(
            () ->
                service.testAuthorization(
                    new AuthorizationTest(
                        Optional.of(CERT), Optional.empty(), List.of(), List.of(), List.of())))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                service.testAuthorization(
                    new AuthorizationTest(
                        Optional.of(CERT),
                        Optional.empty(),
                        List.of(info),
                        List.of("nope"),
                        List.of())))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(
            () ->
                service.testAuthorization(
                    new AuthorizationTest(
                        Optional.of(ACCOUNT.arn("cert", "c".repeat(64))),
                        Optional.empty(),
                        List.of(info),
                        List.of(),
                        List.of())))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void targetDeleted_detachesEverythingAndNotifies() {
    service.createPolicy("p1", DOC, List.of());
    service.createPolicy("p2", DOC, List.of());
    service.attachPolicy("p1", CERT);
    service.attachPolicy("p2", CERT);
    events.clear();

    service.targetDeleted(CERT);
    service.targetDeleted(CERT);

    assertThat(service.hasAttachedPolicies(CERT)).isFalse();
    assertThat(events).containsExactly("attachments " + CERT);
    service.deletePolicy("p1");
  }

  @Test
  void listener_failing_doesNotUndoTheChangeNorStopOthers() {
    PolicyListeners listeners = new PolicyListeners();
    List<String> seen = new ArrayList<>();
    listeners.add(
        new PolicyListener() {
          @Override
          public void policyChanged(String policyName) {
            throw new IllegalStateException("boom");
          }
        });
    listeners.add(
        new PolicyListener() {
          @Override
          public void policyChanged(String policyName) {
            seen.add(policyName);
          }
        });

    listeners.policyChanged("p1");

    assertThat(seen).containsExactly("p1");
  }

  /** A clock tests move by hand. */
  static final class MovableClock extends Clock {

    private Instant now;

    MovableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** Forwards everything, so a test can override one call. */
  static class DelegatingStore implements PolicyStore {

    private final PolicyStore delegate;

    DelegatingStore(PolicyStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public boolean create(Policy policy, PolicyVersion first) {
      return delegate.create(policy, first);
    }

    @Override
    public Optional<Policy> find(String name) {
      return delegate.find(name);
    }

    @Override
    public Page<Policy> list(PageRequest page, boolean ascending) {
      return delegate.list(page, ascending);
    }

    @Override
    public List<PolicyVersion> versions(String policyName) {
      return delegate.versions(policyName);
    }

    @Override
    public Optional<PolicyVersion> version(String policyName, String versionId) {
      return delegate.version(policyName, versionId);
    }

    @Override
    public boolean update(
        String expectedGenerationId,
        Policy updated,
        Optional<PolicyVersion> added,
        Optional<String> removedVersionId) {
      return delegate.update(expectedGenerationId, updated, added, removedVersionId);
    }

    @Override
    public DeleteResult delete(String name, String expectedGenerationId) {
      return delegate.delete(name, expectedGenerationId);
    }

    @Override
    public AttachResult attach(
        String policyName, PolicyTarget target, int maxPerTarget, Instant now) {
      return delegate.attach(policyName, target, maxPerTarget, now);
    }

    @Override
    public boolean detach(String policyName, String target) {
      return delegate.detach(policyName, target);
    }

    @Override
    public List<String> detachAll(String target) {
      return delegate.detachAll(target);
    }

    @Override
    public List<String> attachedTo(String target) {
      return delegate.attachedTo(target);
    }

    @Override
    public Page<String> targetsOf(
        String policyName, Optional<PolicyTarget.Kind> kind, PageRequest page, boolean ascending) {
      return delegate.targetsOf(policyName, kind, page, ascending);
    }
  }
}
