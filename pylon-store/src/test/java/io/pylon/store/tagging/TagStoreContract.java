package io.pylon.store.tagging;

import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.domain.tagging.Tag;
import io.pylon.domain.tagging.TagStore;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link TagStore} must do; subclasses supply the store. */
abstract class TagStoreContract {

  private static final String GROUP = "arn:aws:iot:us-east-1:123456789012:thinggroup/g";
  private static final String TYPE = "arn:aws:iot:us-east-1:123456789012:thingtype/t";

  private TagStore tags;

  protected abstract TagStore open();

  @BeforeEach
  void openStore() {
    tags = open();
  }

  @Test
  void put_thenTagsOf_sortedByKey() {
    tags.put(GROUP, List.of(new Tag("owner", "ops"), new Tag("Env", "prod"), new Tag("empty", "")));

    assertThat(tags.tagsOf(GROUP))
        .containsExactly(new Tag("Env", "prod"), new Tag("empty", ""), new Tag("owner", "ops"));
    assertThat(tags.tagsOf(TYPE)).isEmpty();
  }

  @Test
  void put_existingKey_replacesTheValue() {
    tags.put(GROUP, List.of(new Tag("owner", "ops")));
    tags.put(GROUP, List.of(new Tag("owner", "dev"), new Tag("b", "1")));

    assertThat(tags.tagsOf(GROUP)).containsExactly(new Tag("b", "1"), new Tag("owner", "dev"));
  }

  @Test
  void remove_onlyNamedKeysOfThatResource() {
    tags.put(GROUP, List.of(new Tag("a", "1"), new Tag("b", "2")));
    tags.put(TYPE, List.of(new Tag("a", "1")));

    tags.remove(GROUP, List.of("a", "not-there"));

    assertThat(tags.tagsOf(GROUP)).containsExactly(new Tag("b", "2"));
    assertThat(tags.tagsOf(TYPE)).containsExactly(new Tag("a", "1"));
  }

  @Test
  void removeAll_clearsOneResource() {
    tags.put(GROUP, List.of(new Tag("a", "1")));
    tags.put(TYPE, List.of(new Tag("a", "1")));

    tags.removeAll(GROUP);

    assertThat(tags.tagsOf(GROUP)).isEmpty();
    assertThat(tags.tagsOf(TYPE)).hasSize(1);
  }
}
