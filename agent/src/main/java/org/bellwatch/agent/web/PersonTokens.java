package org.bellwatch.agent.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwatch.agent.event.AddressText;

/**
 * Finds what names a person in text that is not a field of its own: a URL a student asked for, a
 * raw log line, an evidence line. A person is named by an e-mail address, an IP address, a username
 * (what {@code isUser} says is one: the event's own user, or anyone in the roster), or the value of
 * a key that says it is a user ({@code user=}, {@code login=}, ...). {@link Replacer} decides what
 * each becomes.
 *
 * <p>Design note. A URL keeps its shape: scheme, host and port, the path's segments and the query's
 * keys stay, and only a personal part is replaced (the user information before the host entirely,
 * and within a path segment, query value or fragment the tokens above). Each part is
 * percent-decoded before it is searched (RFC 3986 section 2.1; {@code +} is a space in a query, as
 * forms send it) and encoded again only when something in it was replaced, so a URL without a
 * person is returned unchanged byte for byte.
 */
final class PersonTokens {
  /** What a token names: a user (username or e-mail address), or a device by its IP address. */
  enum Kind {
    USER,
    IP
  }

  /** What a found token becomes, or null to keep it as it is. */
  interface Replacer {
    String replace(Kind kind, String token);
  }

  /**
   * Query and log keys whose value is a user, lower case (Squid, FortiGate, Palo Alto, CEF spell
   * them so).
   */
  private static final Set<String> USER_KEYS =
      Set.of(
          "user",
          "username",
          "user_name",
          "userid",
          "user_id",
          "uid",
          "login",
          "email",
          "e-mail",
          "mail",
          "srcuser",
          "dstuser",
          "suser",
          "duser",
          "account",
          "upn",
          "student");

  private static final Pattern TOKENS =
      Pattern.compile(
          "(?<email>[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)+)"
              + "|(?<ip6>(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:]))"
              + "|(?<ip4>(?<![0-9.])(?:[0-9]{1,3}\\.){3}[0-9]{1,3}(?![0-9]|\\.[0-9]))"
              + "|(?<word>[\\p{L}\\p{N}._@-]+)");

  /** {@code key=value}, {@code key: value}, {@code key="value"} in a log line. */
  private static final Pattern KEYED =
      Pattern.compile(
          "(?<![\\p{L}\\p{N}_-])(?<key>[A-Za-z_-]+)(?<sep>\\s*[=:]\\s*\"?)(?<value>[^\\s\",;&]+)");

  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");

  private PersonTokens() {}

  /**
   * {@code text} with every person token found replaced (keyed values, e-mail and IP addresses,
   * users).
   */
  static String text(String text, Predicate<String> isUser, Replacer r) {
    Matcher keyed = KEYED.matcher(text);
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (keyed.find()) {
      if (!USER_KEYS.contains(keyed.group("key").toLowerCase(Locale.ROOT))) {
        continue;
      }
      String shown = r.replace(Kind.USER, keyed.group("value"));
      if (shown != null) {
        out.append(tokens(text.substring(at, keyed.start("value")), isUser, r)).append(shown);
        at = keyed.end("value");
      }
    }
    return out.append(tokens(text.substring(at), isUser, r)).toString();
  }

  private static String tokens(String text, Predicate<String> isUser, Replacer r) {
    Matcher m = TOKENS.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String shown = null;
      if (m.group("email") != null) {
        shown = r.replace(Kind.USER, m.group());
      } else if (m.group("word") == null) {
        // "::" alone parses as an address but names nobody (a DNS answer's sinkhole, for one).
        boolean address =
            AddressText.parseIp(m.group()) != null && m.group().chars().anyMatch(ch -> ch != ':');
        shown = address ? r.replace(Kind.IP, m.group()) : null;
      } else {
        // A word may end a sentence or sit between dashes: "alice." is alice.
        String word = m.group();
        String core = word.replaceAll("^[._@-]+|[._@-]+$", "");
        if (!core.isEmpty() && isUser.test(core)) {
          String replaced = r.replace(Kind.USER, core);
          shown = replaced == null ? null : word.replace(core, replaced);
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(shown == null ? m.group() : shown));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** {@code url} with its personal parts replaced and its shape kept (see the design note). */
  static String url(String url, Predicate<String> isUser, Replacer r) {
    Matcher scheme = SCHEME.matcher(url);
    int start = scheme.find() ? scheme.end() : 0;
    // Without a scheme, a URL is either a path ("/x") or starts with its host ("host:443",
    // "host/x").
    int authorityEnd = url.startsWith("/") && start == 0 ? 0 : firstOf(url, start, "/?#");
    StringBuilder out = new StringBuilder(url.substring(0, start));
    String authority = url.substring(start, authorityEnd);
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String user = decode(authority.substring(0, at).split(":", 2)[0], false);
      String shown = r.replace(Kind.USER, user);
      out.append(shown == null ? authority.substring(0, at) : encode(shown, false))
          .append(authority.substring(at));
    } else {
      out.append(authority);
    }
    int pathEnd = firstOf(url, authorityEnd, "?#");
    String[] segments = url.substring(authorityEnd, pathEnd).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      out.append(i == 0 ? "" : "/").append(part(segments[i], false, isUser, r));
    }
    if (pathEnd < url.length()) {
      int hash = url.indexOf('#', pathEnd);
      if (url.charAt(pathEnd) == '?') {
        out.append('?')
            .append(query(url.substring(pathEnd + 1, hash < 0 ? url.length() : hash), isUser, r));
      }
      if (hash >= 0) {
        out.append('#').append(query(url.substring(hash + 1), isUser, r));
      }
    }
    return out.toString();
  }

  /**
   * A query (or fragment): {@code key=value} pairs by {@code &}; the value of a user key is
   * replaced whole.
   */
  private static String query(String q, Predicate<String> isUser, Replacer r) {
    String[] pairs = q.split("&", -1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < pairs.length; i++) {
      int eq = pairs[i].indexOf('=');
      out.append(i == 0 ? "" : "&");
      if (eq < 0) {
        out.append(part(pairs[i], true, isUser, r));
        continue;
      }
      String key = pairs[i].substring(0, eq);
      String value = pairs[i].substring(eq + 1);
      String shown =
          USER_KEYS.contains(decode(key, true).toLowerCase(Locale.ROOT)) && !value.isEmpty()
              ? r.replace(Kind.USER, decode(value, true))
              : null;
      out.append(part(key, true, isUser, r))
          .append('=')
          .append(shown != null ? encode(shown, true) : part(value, true, isUser, r));
    }
    return out.toString();
  }

  /**
   * One path segment or query part: the raw text unless a person token in its decoded form was
   * replaced.
   */
  private static String part(String raw, boolean query, Predicate<String> isUser, Replacer r) {
    String decoded = decode(raw, query);
    String replaced = text(decoded, isUser, r);
    return replaced.equals(decoded) ? raw : encode(replaced, query);
  }

  private static int firstOf(String s, int from, String chars) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return s.length();
  }

  /** Percent-decoding as UTF-8; a {@code %} not followed by two hex digits stays as it is. */
  static String decode(String s, boolean query) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
      int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
      if (c == '%' && hi >= 0 && lo >= 0) {
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c == '+' && query) {
        bytes.write(' ');
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /**
   * Percent-encoding that keeps what RFC 3986 allows in a path segment (unreserved, sub-delims, ':'
   * and '@'), so "(hidden)" stays readable; in a query part also '&', '=' and '+' are encoded.
   */
  static String encode(String s, boolean query) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      boolean plain =
          c < 128
              && (Character.isLetterOrDigit(c)
                  || "-._~!$'()*,;:@".indexOf(c) >= 0
                  || !query && "&=+".indexOf(c) >= 0);
      if (plain) {
        out.append(c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit((b >> 4) & 15, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 15, 16)));
      }
    }
    return out.toString();
  }
}
