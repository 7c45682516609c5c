package io.pylon.bench;

/**
 * Who publishes where and who subscribes to what, for the three message scenarios. Topics live
 * under a per-run base ({@code bench/<client-id-prefix>}) so that two runs against the same server
 * never see each other's messages.
 *
 * @param deliveriesPerPublish how many subscribers receive each publish (the fan-out factor)
 */
record Topology(String scenario, int publishers, int subscribers, int deliveriesPerPublish) {

  static Topology fanIn(int publishers) {
    return new Topology("fan-in", publishers, 1, 1);
  }

  static Topology fanOut(int subscribers) {
    return new Topology("fan-out", 1, subscribers, subscribers);
  }

  static Topology p2p(int pairs) {
    return new Topology("p2p", pairs, pairs, 1);
  }

  int connections() {
    return publishers + subscribers;
  }

  String publishTopic(String base, int publisher) {
    return switch (scenario) {
      case "fan-in" -> base + "/fan-in/" + publisher;
      case "fan-out" -> base + "/fan-out";
      default -> base + "/p2p/" + publisher;
    };
  }

  String subscribeFilter(String base, int subscriber) {
    return switch (scenario) {
      case "fan-in" -> base + "/fan-in/#";
      case "fan-out" -> base + "/fan-out";
      default -> base + "/p2p/" + subscriber;
    };
  }

  String describe() {
    return switch (scenario) {
      case "fan-in" -> publishers + " publishers -> 1 wildcard subscriber";
      case "fan-out" -> "1 publisher -> " + subscribers + " subscribers";
      default -> publishers + " publisher/subscriber pairs";
    };
  }
}
