package io.pylon.domain.tagging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.LimitExceededException;
import io.pylon.domain.error.ResourceNotFoundException;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TaggingServiceTest {

  private static final String ARN = "arn:aws:iot:us-east-1:123456789012:thinggroup/g";

  private final TaggingService tagging =
      new TaggingService(new MemoryTagStore(), arn -> arn.equals(ARN));

  @Test
  void tagUntagList_roundTrip() {
    tagging.tagResource(ARN, List.of(new Tag("b", "2"), new Tag("a", "1")));
    tagging.tagResource(ARN, List.of(new Tag("a", "one")));
    tagging.untagResource(ARN, List.of("b", "missing"));

    assertThat(tagging.listTagsForResource(ARN)).containsExactly(new Tag("a", "one"));
  }

  @Test
  void unknownResourceOrNotAnArn_isRefused() {
    assertThatThrownBy(() -> tagging.listTagsForResource(ARN + "x"))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> tagging.listTagsForResource("thinggroup/g"))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void invalidKeys_andMoreThanFiftyTags_areRefused() {
    assertThatThrownBy(() -> tagging.tagResource(ARN, List.of(new Tag("aws:x", "v"))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> tagging.tagResource(ARN, List.of(new Tag("", "v"))))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> tagging.tagResource(ARN, List.of(new Tag("k", "v".repeat(257)))))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () -> tagging.tagResource(ARN, List.of(new Tag("k", "1"), new Tag("k", "2"))))
        .isInstanceOf(InvalidRequestException.class);

    tagging.tagResource(ARN, IntStream.range(0, 50).mapToObj(i -> new Tag("k" + i, "v")).toList());
    assertThatThrownBy(() -> tagging.tagResource(ARN, List.of(new Tag("one-more", "v"))))
        .isInstanceOf(LimitExceededException.class);
    assertThat(tagging.listTagsForResource(ARN)).hasSize(50);
  }
}
