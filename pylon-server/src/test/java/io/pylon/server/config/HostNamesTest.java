package io.pylon.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.mqtt.broker.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostNamesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.1.2.3",
        "::1",
        "[::1]",
        "0:0:0:0:0:0:0:1",
        "localhost",
        "LocalHost"
      })
  void loopback(String bind) {
    assertThat(HostNames.isLoopback(bind)).isTrue();
    assertThat(new ListenerConfig("mqtt", true, 1883, bind, Profile.MQTT).isLoopback()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0",
        "::",
        "10.0.0.1",
        "192.168.1.10",
        "fe80::1",
        "example.com",
        "localhost.example.com"
      })
  void notLoopback(String bind) {
    assertThat(HostNames.isLoopback(bind)).isFalse();
    assertThat(new ListenerConfig("mqtt", true, 1883, bind, Profile.MQTT).allowsAnonymous())
        .isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "example.com",
        "a-b.example.com",
        "host",
        "10.0.0.1",
        "::",
        "2001:db8::1",
        "[2001:db8::1]"
      })
  void validHosts(String host) {
    assertThat(HostNames.isValidHost(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "has space",
        "-leading.example.com",
        "256.1.1.1",
        "1.2.3",
        "a..b",
        "g::1",
        "x:y"
      })
  void invalidHosts(String host) {
    assertThat(HostNames.isValidHost(host)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"*.example.com", "iot.example.com", "192.0.2.7"})
  void certificateNames(String name) {
    assertThat(HostNames.isValidCertificateName(name)).isTrue();
  }
}
