/**
 * The broker's model of an application message: immutable, version-independent values that the
 * session, topic and store packages pass around. Knows nothing of Netty.
 */
package io.pylon.mqtt.message;
