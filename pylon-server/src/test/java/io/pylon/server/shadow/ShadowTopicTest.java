package io.pylon.server.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.domain.shadow.ShadowId;
import io.pylon.server.shadow.ShadowTopic.Operation;
import org.junit.jupiter.api.Test;

class ShadowTopicTest {

  @Test
  void parse_classicAndNamedRequests() {
    assertThat(ShadowTopic.parse("$aws/things/lamp/shadow/update"))
        .contains(new ShadowTopic(ShadowId.classic("lamp"), Operation.UPDATE));
    assertThat(ShadowTopic.parse("$aws/things/lamp/shadow/get"))
        .contains(new ShadowTopic(ShadowId.classic("lamp"), Operation.GET));
    assertThat(ShadowTopic.parse("$aws/things/lamp/shadow/name/cfg/delete"))
        .contains(new ShadowTopic(ShadowId.named("lamp", "cfg"), Operation.DELETE));
  }

  @Test
  void parse_answersAndOtherTopics_areNotRequests() {
    for (String topic :
        new String[] {
          "$aws/things/lamp/shadow/update/accepted",
          "$aws/things/lamp/shadow/update/delta",
          "$aws/things/lamp/shadow/name/cfg/get/rejected",
          "$aws/things/lamp/jobs/get",
          "$aws/things/lamp/shadow/name/get",
          "$aws/things/lamp/shadow/other/cfg/get",
          "$aws/things//shadow/get",
          "$aws/things/bad name/shadow/get",
          "things/lamp/shadow/get"
        }) {
      assertThat(ShadowTopic.parse(topic)).as(topic).isEmpty();
    }
  }

  @Test
  void answer_topicsUnderTheRequest() {
    ShadowTopic named = ShadowTopic.parse("$aws/things/lamp/shadow/name/cfg/update").orElseThrow();

    assertThat(named.answer("accepted"))
        .isEqualTo("$aws/things/lamp/shadow/name/cfg/update/accepted");
    assertThat(ShadowTopic.parse("$aws/things/lamp/shadow/get").orElseThrow().answer("rejected"))
        .isEqualTo("$aws/things/lamp/shadow/get/rejected");
  }
}
