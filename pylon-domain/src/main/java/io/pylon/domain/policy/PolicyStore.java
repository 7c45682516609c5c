package io.pylon.domain.policy;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable policies, their versions and their attachments. The store keeps rows consistent; the
 * rules (version limit, what may be deleted) are {@link PolicyService}'s, which changes a policy
 * only through {@link #update} and {@link #delete} conditioned on the {@link Policy#generationId()}
 * it read, retrying when another change came first.
 *
 * <p>Paging tokens are the store's own: it makes them and rejects (InvalidRequestException) one it
 * did not make.
 */
public interface PolicyStore {

  /** Stores a new policy with its first version; false when the name is taken. */
  boolean create(Policy policy, PolicyVersion first);

  Optional<Policy> find(String name);

  /** Policies by creation date (then name), oldest first when {@code ascending}. */
  Page<Policy> list(PageRequest page, boolean ascending);

  /** The policy's versions, lowest number first; empty when there is no such policy. */
  List<PolicyVersion> versions(String policyName);

  Optional<PolicyVersion> version(String policyName, String versionId);

  /**
   * Replaces the policy's row with {@code updated}, adding {@code added} and removing version
   * {@code removedVersionId}, all in one transaction, if the stored generation is still {@code
   * expectedGenerationId}.
   *
   * @return false when the policy is gone or was changed since it was read
   */
  boolean update(
      String expectedGenerationId,
      Policy updated,
      Optional<PolicyVersion> added,
      Optional<String> removedVersionId);

  /**
   * Deletes the policy with all its versions if its generation is still {@code
   * expectedGenerationId} and nothing is attached to it.
   */
  DeleteResult delete(String name, String expectedGenerationId);

  /** How {@link #delete} went. */
  enum DeleteResult {
    DELETED,
    /** There is no such policy (any more). */
    NOT_FOUND,
    /** The policy changed since it was read. */
    CHANGED,
    /** A target has the policy attached. */
    ATTACHED
  }

  /**
   * Attaches the policy to the target, unless the target already has {@code maxPerTarget} policies.
   */
  AttachResult attach(String policyName, PolicyTarget target, int maxPerTarget, Instant now);

  /** How {@link #attach} went. */
  enum AttachResult {
    ATTACHED,
    ALREADY_ATTACHED,
    /** There is no such policy. */
    NOT_FOUND,
    /** The target has as many policies as it may have. */
    LIMIT_REACHED
  }

  /** Detaches the policy from the target; false when it was not attached. */
  boolean detach(String policyName, String target);

  /** Detaches every policy from the target and returns their names. */
  List<String> detachAll(String target);

  /** Names of the policies attached to the target, in name order. */
  List<String> attachedTo(String target);

  /**
   * The targets the policy is attached to, by target ARN (descending unless {@code ascending}),
   * only those of {@code kind} when one is given.
   */
  Page<String> targetsOf(
      String policyName, Optional<PolicyTarget.Kind> kind, PageRequest page, boolean ascending);
}
