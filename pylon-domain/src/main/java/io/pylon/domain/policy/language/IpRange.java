package io.pylon.domain.policy.language;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 CIDR block from an {@code IpAddress} condition. Parsing never resolves names: a
 * value that is not an address literal is rejected rather than looked up in DNS.
 */
record IpRange(byte[] network, int prefixLength) {

  /** {@code 203.0.113.0/24}, {@code 2001:db8::/32}, or a single address; null when invalid. */
  static IpRange parse(String cidr) {
    String text = cidr.strip();
    int slash = text.indexOf('/');
    byte[] address = address(slash < 0 ? text : text.substring(0, slash));
    if (address == null) {
      return null;
    }
    int bits = address.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String digits = text.substring(slash + 1);
      if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)) {
        return null;
      }
      prefix = Integer.parseInt(digits);
      if (prefix > bits) {
        return null;
      }
    }
    return new IpRange(address, prefix);
  }

  boolean contains(String ip) {
    byte[] address = address(ip.strip());
    if (address == null || address.length != network.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (address[full] & mask) == (network[full] & mask);
  }

  /** The bytes of an address literal, or null. IPv4-mapped IPv6 addresses come out as IPv4. */
  static byte[] address(String text) {
    if (text.indexOf(':') >= 0) {
      String literal = text;
      if (literal.startsWith("[") && literal.endsWith("]")) {
        literal = literal.substring(1, literal.length() - 1);
      }
      int zone = literal.indexOf('%');
      if (zone >= 0) {
        literal = literal.substring(0, zone);
      }
      if (!literal.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
        return null;
      }
      try {
        // A string with ':' is only ever parsed as an IPv6 literal, never looked up.
        return InetAddress.getByName(literal).getAddress();
      } catch (UnknownHostException e) {
        return null;
      }
    }
    return ipv4(text);
  }

  private static byte[] ipv4(String text) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '.';
      if (c == '.') {
        if (value < 0 || part > 3) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
      } else if (c >= '0' && c <= '9') {
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }
}
