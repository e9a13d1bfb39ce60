package org.bellwatch.agent.decision;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A narrower part of a site to exempt: an absolute http(s) URL whose host is the site or under it,
 * written back in the form proxies compare against: lower-case scheme and host, no default port, no
 * user info, no fragment, path at least "/". Only the printable ASCII that RFC 3986 (section 2)
 * allows in a URL is accepted, everything else must come percent-encoded; a quote or backslash is
 * refused because the FortiOS CLI reads the URL as a quoted string. Review requests are checked
 * (and stored normalized) with it, so that every decision can become an {@link Exemption}.
 */
public final class UrlPrefix {
  public static final int MAX_LENGTH = 1000;

  private UrlPrefix() {}

  /**
   * The prefix as filters compare it; an {@link IllegalArgumentException} naming what is wrong
   * otherwise.
   */
  public static String normalize(String prefix, String domain) {
    if (prefix.isEmpty() || prefix.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("url_prefix must be 1 to " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new IllegalArgumentException(
            "url_prefix "
                + Text.shown(prefix)
                + " contains a space, control or non-ASCII character: percent-encode it (RFC 3986 section 2.1)");
      }
      if (c == '"' || c == '\\' || c == '#') {
        throw new IllegalArgumentException(
            "url_prefix "
                + Text.shown(prefix)
                + " must not contain "
                + c
                + (c == '#' ? " (a fragment never reaches a filter)" : ""));
      }
    }
    URI uri;
    try {
      uri = new URI(prefix);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "url_prefix " + Text.shown(prefix) + " is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "url_prefix " + Text.shown(prefix) + " must be an absolute http or https URL");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "url_prefix " + Text.shown(prefix) + " must not carry a user name");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(
          "url_prefix " + Text.shown(prefix) + " has no valid host name");
    }
    String host = HostName.ascii("url_prefix host", uri.getHost());
    if (!host.equals(domain) && !host.endsWith("." + domain)) {
      throw new IllegalArgumentException(
          "url_prefix host " + host + " is not " + domain + " or under it");
    }
    int port = uri.getPort();
    if (port == 0) {
      throw new IllegalArgumentException("url_prefix " + Text.shown(prefix) + " has port 0");
    }
    boolean defaultPort = port == -1 || port == (scheme.equals("http") ? 80 : 443);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return scheme
        + "://"
        + host
        + (defaultPort ? "" : ":" + port)
        + path
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }
}
