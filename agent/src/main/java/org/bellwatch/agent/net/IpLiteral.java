package org.bellwatch.agent.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Parses IP address literals without ever consulting name service: {@code InetAddress.getByName}
 * silently falls back to a DNS lookup for text that is not a valid literal (e.g. "10.0.0.300"), which
 * an agent reading logs and config must never do.
 */
public final class IpLiteral {
  private IpLiteral() {
  }

  /** The address, or null when {@code text} is not an IPv4 dotted quad or an IPv6 literal. */
  public static InetAddress parse(String text) {
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
}
