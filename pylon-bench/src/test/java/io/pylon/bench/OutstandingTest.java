package io.pylon.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutstandingTest {

  @Test
  void answersOutOfOrder_findTheirRequest_andFreeTheirSlot() {
    Outstanding window = new Outstanding(2);
    window.add(0, 100);
    window.add(1, -1); // nanoTime may be negative: a send time is never mistaken for "absent"

    assertThat(window.isFull()).isTrue();
    assertThat(window.remove(1)).hasValue(-1);
    assertThat(window.isFull()).isFalse();
    window.add(2, 300);
    assertThat(window.remove(0)).hasValue(100);
    assertThat(window.remove(2)).hasValue(300);
    assertThat(window.size()).isZero();
  }

  @Test
  void unknownOrRepeatedSequence_isEmpty() {
    Outstanding window = new Outstanding(1);
    window.add(5, 50);

    assertThat(window.remove(6)).isEmpty();
    assertThat(window.remove(-1)).isEmpty();
    assertThat(window.remove(5)).hasValue(50);
    assertThat(window.remove(5)).isEmpty();
  }
}
