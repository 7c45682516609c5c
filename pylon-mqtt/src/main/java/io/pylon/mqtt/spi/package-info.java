/**
 * What the broker asks of the world outside MQTT: authenticate a connection ({@link
 * io.pylon.mqtt.spi.Authenticator}), authorize each action ({@link io.pylon.mqtt.spi.Authorizer}),
 * serve reserved topics ({@link io.pylon.mqtt.spi.PublishInterceptor}) and observe events ({@link
 * io.pylon.mqtt.spi.BrokerListener}). The IoT domain implements these in the server's wiring; the
 * broker never imports the domain.
 */
package io.pylon.mqtt.spi;
