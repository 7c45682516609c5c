package io.pylon.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Syntax checks for host names and IP literals. Nothing here resolves a name: configuration is
 * checked before the network is touched, and a slow or absent DNS must not delay or fail a start.
 */
public final class HostNames {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6ISH =
      Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");
  private static final Pattern LABEL =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

  private HostNames() {}

  /** The address of an IPv4 or IPv6 literal (brackets allowed), or empty for anything else. */
  public static Optional<InetAddress> ipLiteral(String value) {
    String v = value.trim();
    if (v.startsWith("[") && v.endsWith("]")) {
      v = v.substring(1, v.length() - 1);
    }
    try {
      if (IPV4.matcher(v).matches()) {
        return ipv4(v);
      }
      // Only strings the JDK parses as IPv6 literals reach getByName, so that it never does a
      // lookup.
      if (v.contains(":") && IPV6ISH.matcher(v).matches()) {
        return Optional.of(InetAddress.getByName(v));
      }
    } catch (UnknownHostException | SecurityException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static Optional<InetAddress> ipv4(String v) throws UnknownHostException {
    String[] parts = v.split("\\.");
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      int octet = Integer.parseInt(parts[i]);
      if (octet > 255) {
        return Optional.empty();
      }
      bytes[i] = (byte) octet;
    }
    return Optional.of(InetAddress.getByAddress(bytes));
  }

  /** Whether {@code value} is an IP literal or a syntactically valid DNS name. */
  public static boolean isValidHost(String value) {
    return ipLiteral(value).isPresent() || isDnsName(value);
  }

  /**
   * Like {@link #isValidHost} but also accepts one leading wildcard label, {@code *.example.com}.
   */
  public static boolean isValidCertificateName(String value) {
    if (value.startsWith("*.")) {
      return isDnsName(value.substring(2));
    }
    return isValidHost(value);
  }

  /**
   * Whether the address is loopback only: {@code localhost}, 127.0.0.0/8 or ::1. Other names count
   * as not loopback, because deciding otherwise would need a lookup whose answer can change.
   */
  public static boolean isLoopback(String host) {
    if (host.trim().toLowerCase(Locale.ROOT).equals("localhost")) {
      return true;
    }
    return ipLiteral(host).map(InetAddress::isLoopbackAddress).orElse(false);
  }

  private static boolean isDnsName(String value) {
    String v = value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
    if (v.isEmpty() || v.length() > 253) {
      return false;
    }
    for (String label : v.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    // A name of digits and dots only is a malformed IPv4 literal, not a host name.
    return !v.matches("[0-9.]+");
  }
}
