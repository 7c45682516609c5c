package io.pylon.domain.policy;

import java.util.List;
import java.util.Objects;

/**
 * Where CreatePolicy's {@code tags} go. Tags belong to the tagging service (TagResource,
 * ListTagsForResource), not to policies; until the server wires one, {@link #NONE} drops them.
 */
public interface PolicyTagging {

  /** Called after a policy with tags was created. */
  void tagged(String policyArn, List<Tag> tags);

  /** Called after a policy was deleted, so that its tags go with it. */
  void deleted(String policyArn);

  /** A resource tag as the AWS model has it: key 1..128 characters, value 0..256. */
  record Tag(String key, String value) {

    public Tag {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  /** Accepts tags and keeps none. */
  PolicyTagging NONE =
      new PolicyTagging() {
        @Override
        public void tagged(String policyArn, List<Tag> tags) {}

        @Override
        public void deleted(String policyArn) {}
      };
}
