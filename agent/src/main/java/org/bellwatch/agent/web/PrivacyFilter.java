package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwatch.agent.config.BellwatchConfig;

/**
 * What a role may see of a block event (JSON and CSV alike), and of a raw log line. Roles not in
 * {@code privacy.usernames_visible_to} get {@code user: null}; with {@code privacy.pseudonymize}
 * users and devices ({@code user}, {@code mac}, {@code hostname}, {@code client_ip}) become keyed
 * pseudonyms. The user's display name ({@code user_name}) follows {@code user} exactly: null when
 * the user is hidden, the user's pseudonym when pseudonymized. Teachers ({@code teacher}, {@code
 * teacher_name}) are staff, named as the roster names them to every role that may see the row,
 * pseudonymized or not: the section they teach is no secret.
 *
 * <p>Text that can quote a person follows the same rule ({@link PersonTokens} finds them): the
 * {@code url} (an e-mail address, a username of the event or the roster, or an IP address in its
 * path, query or user information: {@code (hidden)} for a role that may not see users, else the
 * pseudonym of its kind), the evidence lines (the values replaced above, matched in any case, the
 * URL as shown, and any e-mail address or value of a user key), and raw log lines ({@link #line}).
 */
final class PrivacyFilter {
  static final String HIDDEN = "(hidden)";
  private static final String[][] FIELDS = {
    {"user", "user"}, {"mac", "device"}, {"hostname", "host"}, {"client_ip", "ip"}
  };
  private final BellwatchConfig.Privacy cfg;
  private final Supplier<Pseudonyms> pseudonyms;
  private final UnaryOperator<String> rosterUser;

  /** Without a roster: only the event's own user is known as a username in text. */
  PrivacyFilter(BellwatchConfig.Privacy cfg, Supplier<Pseudonyms> pseudonyms) {
    this(cfg, pseudonyms, u -> null);
  }

  /**
   * @param rosterUser the roster's spelling of a username or e-mail address (any case), null when
   *     the roster does not know it
   */
  PrivacyFilter(
      BellwatchConfig.Privacy cfg,
      Supplier<Pseudonyms> pseudonyms,
      UnaryOperator<String> rosterUser) {
    this.cfg = cfg;
    this.pseudonyms = pseudonyms;
    this.rosterUser = rosterUser;
  }

  boolean canSeeUsers(Role role) {
    return cfg.usernamesVisibleTo().contains(role.id());
  }

  boolean pseudonymized() {
    return cfg.pseudonymize();
  }

  /**
   * Whether {@code role} sees raw text as it was logged: it may see users, and nothing is
   * pseudonymized.
   */
  boolean seesRawText(Role role) {
    return canSeeUsers(role) && !cfg.pseudonymize();
  }

  ObjectNode apply(ObjectNode event, Role role) {
    Map<String, String> replace = new LinkedHashMap<>();
    JsonNode name = event.get("user_name");
    String user = text(event.get("user"));
    for (String[] f : FIELDS) {
      JsonNode v = event.get(f[0]);
      if (v == null || v.isNull()) {
        continue;
      }
      String original = v.asText();
      String shown = original;
      if (f[0].equals("user") && !canSeeUsers(role)) {
        shown = null;
      } else if (cfg.pseudonymize()) {
        shown = pseudonyms.get().of(f[1], original);
      }
      if (!original.equals(shown)) {
        event.put(f[0], shown);
        replace.put(original, shown == null ? HIDDEN : shown);
      }
    }
    if (name != null && !name.isNull()) {
      JsonNode shownUser = event.get("user");
      String shown =
          shownUser == null || shownUser.isNull()
              ? null
              : cfg.pseudonymize() ? shownUser.asText() : name.asText();
      if (!name.asText().equals(shown)) {
        event.put("user_name", shown);
        replace.put(name.asText(), shown == null ? HIDDEN : shown);
      }
    }
    if (seesRawText(role)) {
      return event;
    }
    Predicate<String> isUser = t -> t.equalsIgnoreCase(user) || rosterUser.apply(t) != null;
    String url = text(event.get("url"));
    if (url != null) {
      String shown = PersonTokens.url(url, isUser, replacer(role, user));
      if (!shown.equals(url)) {
        event.put("url", shown);
        replace.put(url, shown);
      }
    }
    if (event.get("evidence") instanceof ArrayNode evidence) {
      PersonTokens.Replacer users =
          (kind, token) ->
              kind == PersonTokens.Kind.USER ? replacer(role, user).replace(kind, token) : null;
      Predicate<String> isEventUser = t -> t.equalsIgnoreCase(user);
      Pattern known = wholeTokens(replace.keySet());
      Map<String, String> byAnyCase = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      byAnyCase.putAll(replace);
      for (int i = 0; i < evidence.size(); i++) {
        // One pass, so that nothing is replaced twice: the values replaced in the fields (the URL
        // as shown
        // among them) where they occur, and e-mail addresses and values of user keys in the text
        // between.
        // Evidence also names the section's teachers, who are staff and stay.
        String line = evidence.get(i).asText();
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (Matcher m = known.matcher(line); m.find(); at = m.end()) {
          out.append(PersonTokens.text(line.substring(at, m.start()), isEventUser, users))
              .append(byAnyCase.get(m.group()));
        }
        evidence.set(
            i, out.append(PersonTokens.text(line.substring(at), isEventUser, users)).toString());
      }
    }
    return event;
  }

  /**
   * Any of {@code values} as a whole token (10.0.1.2 must not rewrite part of 10.0.1.20), in any
   * case (a filter logs JRivera15 for the roster's jrivera15), longest first; a pattern that never
   * matches when there are none.
   */
  private static Pattern wholeTokens(Collection<String> values) {
    if (values.isEmpty()) {
      return Pattern.compile("(?!)");
    }
    List<String> keys = new ArrayList<>(values);
    keys.sort(Comparator.comparingInt(String::length).reversed());
    return Pattern.compile(
        "(?<![A-Za-z0-9_.:-])(?:"
            + String.join("|", keys.stream().map(Pattern::quote).toList())
            + ")(?![A-Za-z0-9_:-])",
        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  /**
   * A raw log line (a dead letter) as {@code role} may see it: e-mail and IP addresses, roster
   * usernames and values of user keys hidden or pseudonymized, unless the role sees raw text.
   */
  String line(String line, Role role) {
    if (seesRawText(role)) {
      return line;
    }
    return PersonTokens.text(line, t -> rosterUser.apply(t) != null, replacer(role, null));
  }

  /**
   * What a person token becomes for {@code role}, as the event's fields would: a user is {@code
   * (hidden)} when the role may not see users, else its pseudonym when pseudonymizing (a username
   * by its roster spelling, a roster e-mail address by its user's, so they match {@code user}); an
   * IP address is its pseudonym when pseudonymizing, else {@code (hidden)} from a role that may not
   * see users.
   */
  private PersonTokens.Replacer replacer(Role role, String eventUser) {
    return (kind, token) -> {
      if (kind == PersonTokens.Kind.IP) {
        // As client_ip: a pseudonym when pseudonymizing; else shown to roles that may see users.
        return cfg.pseudonymize()
            ? pseudonyms.get().of("ip", token)
            : canSeeUsers(role) ? null : HIDDEN;
      }
      if (!canSeeUsers(role)) {
        return HIDDEN;
      }
      if (!cfg.pseudonymize()) {
        return null;
      }
      String known = token.equalsIgnoreCase(eventUser) ? eventUser : rosterUser.apply(token);
      return pseudonyms.get().of("user", known != null ? known : token.toLowerCase(Locale.ROOT));
    };
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }
}
