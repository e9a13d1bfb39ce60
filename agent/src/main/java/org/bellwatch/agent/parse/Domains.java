package org.bellwatch.agent.parse;

import java.util.Locale;

/** Host name normalization shared by every parser and the DNS path: lower-case, no trailing dot. */
public final class Domains {
  private Domains() {}

  public static String normalize(String host) {
    if (host == null || host.isEmpty()) {
      return null;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h.isEmpty() ? null : h;
  }

  /**
   * The host of a URL as proxies log it: {@code scheme://[user@]host[:port]/path} or a CONNECT
   * target {@code host:port}; IPv6 literals keep no brackets. Null when there is no host.
   */
  public static String hostOfUrl(String url) {
    if (url == null) {
      return null;
    }
    String rest = url;
    int scheme = rest.indexOf("://");
    if (scheme >= 0) {
      rest = rest.substring(scheme + 3);
    }
    int end = rest.length();
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    String authority = rest.substring(0, end);
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = authority.substring(at + 1);
    }
    String host;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      host = close < 0 ? authority.substring(1) : authority.substring(1, close);
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon >= 0 ? authority.substring(0, colon) : authority;
    }
    return normalize(host);
  }
}
