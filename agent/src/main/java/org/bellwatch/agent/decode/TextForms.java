package org.bellwatch.agent.decode;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Presentation helpers shared by the decoders and the JSON writer. Pure functions, JDK only.
 */
public final class TextForms {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TextForms() {
  }

  /** Lower-case hex of {@code len} bytes from {@code b} at {@code off}, no separators. */
  public static String hex(byte[] b, int off, int len) {
    StringBuilder sb = new StringBuilder(len * 2);
    for (int i = off; i < off + len; i++) {
      sb.append(HEX[(b[i] >> 4) & 0xf]).append(HEX[b[i] & 0xf]);
    }
    return sb.toString();
  }

  /** Lower-case hex of the whole array. */
  public static String hex(byte[] b) {
    return hex(b, 0, b.length);
  }

  /** Dotted-quad form of four bytes at {@code off}. */
  /** Dotted-quad text of the four bytes at absolute index {@code off} of {@code b}, built without copies. */
  public static String ipv4(java.nio.ByteBuffer b, int off) {
    char[] c = new char[15];
    int n = 0;
    for (int i = 0; i < 4; i++) {
      if (i > 0) {
        c[n++] = '.';
      }
      int v = b.get(off + i) & 0xff;
      if (v >= 100) {
        c[n++] = (char) ('0' + v / 100);
      }
      if (v >= 10) {
        c[n++] = (char) ('0' + v / 10 % 10);
      }
      c[n++] = (char) ('0' + v % 10);
    }
    return new String(c, 0, n);
  }

  public static String ipv4(byte[] b, int off) {
    return (b[off] & 0xff) + "." + (b[off + 1] & 0xff) + "." + (b[off + 2] & 0xff) + "."
        + (b[off + 3] & 0xff);
  }

  /**
   * RFC 5952 text form of sixteen bytes at {@code off}: lower-case hex, no leading zeros, the longest
   * run (first on a tie) of two or more zero groups shortened to "::" (section 4.2).
   */
  public static String ipv6(byte[] b, int off) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[off + 2 * i] & 0xff) << 8) | (b[off + 2 * i + 1] & 0xff);
    }
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
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  /** Text form of an address: dotted quad for IPv4, RFC 5952 for IPv6 (scope dropped); null stays null. */
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
