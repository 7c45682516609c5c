/**
 * The messaging operations of the iot-data REST API: Publish, GetRetainedMessage and
 * ListRetainedMessages, served from the MQTT broker itself. A REST publish is routed, retained and
 * observed like a client's; the data plane's callers are authorized by {@link
 * io.pylon.server.authorization.RestCallerPolicies}.
 */
package io.pylon.server.messaging;
