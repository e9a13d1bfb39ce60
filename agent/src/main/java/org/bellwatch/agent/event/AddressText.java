package org.bellwatch.agent.event;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * The one home of address text: hardware addresses, IPv4 and IPv6 in the forms a console search or
 * a filter log uses (RFC 5952 for IPv6), and the parsing of address literals from logs and config.
 * Shared by the decoders, the parsers and the JSON writer. Pure functions, JDK only.
 */
public final class AddressText {
  /** The longest dotted quad, "255.255.255.255". */
  public static final int IPV4_MAX_BYTES = 15;

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private AddressText() {}

  /** Lower-case hex of {@code len} bytes from {@code b} at {@code off}, no separators. */
  public static String hex(byte[] b, int off, int len) {
    byte[] t = new byte[len * 2];
    for (int i = 0; i < len; i++) {
      t[2 * i] = HEX[(b[off + i] >> 4) & 0xf];
      t[2 * i + 1] = HEX[b[off + i] & 0xf];
    }
    return latin1(t, t.length);
  }

  /** Lower-case hex of the whole array. */
  public static String hex(byte[] b) {
    return hex(b, 0, b.length);
  }

  /**
   * A 6-byte MAC address at {@code off} as lower-case colon hex, the form DHCP's chaddr is written
   * in.
   */
  public static String mac(byte[] b, int off) {
    byte[] t = new byte[17];
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        t[3 * i - 1] = ':';
      }
      t[3 * i] = HEX[(b[off + i] >> 4) & 0xf];
      t[3 * i + 1] = HEX[b[off + i] & 0xf];
    }
    return latin1(t, t.length);
  }

  /** Dotted-quad text of the four bytes at {@code off} of {@code b}. */
  public static String ipv4(byte[] b, int off) {
    return ipv4(
        (b[off] & 0xff) << 24
            | (b[off + 1] & 0xff) << 16
            | (b[off + 2] & 0xff) << 8
            | (b[off + 3] & 0xff));
  }

  /** Dotted-quad text of an IPv4 address held big-endian in an int. */
  public static String ipv4(int address) {
    byte[] t = new byte[IPV4_MAX_BYTES];
    return latin1(t, writeIpv4(t, 0, address));
  }

  /**
   * Writes the dotted quad of the address held big-endian in {@code address} into {@code t} at
   * {@code n}, each part in decimal without leading zeros; returns the index after the last byte
   * written.
   */
  public static int writeIpv4(byte[] t, int n, int address) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      if (shift < 24) {
        t[n++] = '.';
      }
      int v = (address >>> shift) & 0xff;
      if (v >= 100) {
        t[n++] = (byte) ('0' + v / 100);
      }
      if (v >= 10) {
        t[n++] = (byte) ('0' + v / 10 % 10);
      }
      t[n++] = (byte) ('0' + v % 10);
    }
    return n;
  }

  /**
   * The address of an IPv4 dotted quad or an IPv6 literal, or null for anything else. Never
   * consults name service: {@code InetAddress.getByName} silently falls back to a DNS lookup for
   * text that is not a valid literal (e.g. "10.0.0.300"), which an agent reading logs and config
   * must never do.
   */
  public static InetAddress parseIp(String text) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    try {
      if (t.indexOf(':') >= 0) {
        // With a colon, InetAddress only ever parses an IPv6 literal; it never resolves.
        return t.matches("[0-9A-Fa-f:.]+") ? InetAddress.getByName(t) : null;
      }
      byte[] b = new byte[4];
      int part = 0;
      int value = -1;
      for (int i = 0; i <= t.length(); i++) {
        char c = i < t.length() ? t.charAt(i) : '.';
        if (c >= '0' && c <= '9') {
          value = (value < 0 ? 0 : value * 10) + (c - '0');
          if (value > 255) {
            return null;
          }
        } else if (c == '.' && value >= 0 && part < 4) {
          b[part++] = (byte) value;
          value = -1;
        } else {
          return null;
        }
      }
      return part == 4 ? InetAddress.getByAddress(b) : null;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /**
   * RFC 5952 text form of sixteen bytes at {@code off}: lower-case hex, no leading zeros, the
   * longest run (first on a tie) of two or more zero groups shortened to "::" (section 4.2).
   */
  public static String ipv6(byte[] b, int off) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[off + 2 * i] & 0xff) << 8) | (b[off + 2 * i + 1] & 0xff);
    }
    return ipv6(g);
  }

  private static String ipv6(int[] g) {
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    byte[] t = new byte[39];
    int n = 0;
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        t[n++] = ':';
        t[n++] = ':';
        i += bestLen - 1;
        continue;
      }
      if (n > 0 && t[n - 1] != ':') {
        t[n++] = ':';
      }
      n = hexGroup(t, n, g[i]);
    }
    return latin1(t, n);
  }

  /** A 16-bit group in lower-case hex without leading zeros (RFC 5952 section 4.1). */
  private static int hexGroup(byte[] t, int n, int v) {
    for (int shift = v > 0xfff ? 12 : v > 0xff ? 8 : v > 0xf ? 4 : 0; shift >= 0; shift -= 4) {
      t[n++] = HEX[(v >> shift) & 0xf];
    }
    return n;
  }

  /** The text is ASCII by construction: a Latin-1 string is one copy, with no scan. */
  private static String latin1(byte[] t, int n) {
    return new String(t, 0, n, StandardCharsets.ISO_8859_1);
  }

  /**
   * Text form of an address: dotted quad for IPv4, RFC 5952 for IPv6 (scope dropped); null stays
   * null.
   */
  public static String address(InetAddress a) {
    if (a == null) {
      return null;
    }
    if (a instanceof Inet6Address) {
      return ipv6(a.getAddress(), 0);
    }
    return ipv4(a.getAddress(), 0);
  }
}
