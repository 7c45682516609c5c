package io.pylon.mqtt.spi;

/** What a principal asks to do; named after the IoT policy actions they map to. */
public enum Action {
  /** iot:Connect, resource: the client id. */
  CONNECT,
  /** iot:Publish, resource: the topic name. */
  PUBLISH,
  /** iot:RetainPublish, resource: the topic name of a publish with RETAIN set. */
  RETAIN_PUBLISH,
  /** iot:Subscribe, resource: the topic filter. */
  SUBSCRIBE,
  /** iot:Receive, resource: the topic name of each delivery. */
  RECEIVE
}
