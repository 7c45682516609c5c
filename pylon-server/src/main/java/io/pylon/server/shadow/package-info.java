/**
 * The Device Shadow service on the broker: {@link io.pylon.server.shadow.ShadowRequests} takes
 * {@code $aws/things/T/shadow[/name/S]/{get,update,delete}} publishes off the event loop and
 * answers through {@link io.pylon.server.shadow.ShadowPublisher}, which also publishes the answers
 * of REST updates and deletes. REST shadow calls of devices are decided with their IoT policies by
 * {@code io.pylon.server.authorization.RestCallerPolicies}, as the other data-plane operations.
 *
 * <p>Authorization is the broker's: a request is only intercepted after the publisher passed its
 * {@code iot:Publish} check, and every answer goes through routing, where each subscriber's {@code
 * iot:Receive} is checked, so only clients allowed to receive an answer topic get it.
 */
package io.pylon.server.shadow;
