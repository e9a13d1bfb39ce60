package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwatch.agent.config.BellwatchConfig;

/**
 * What a role may see of a block event (JSON and CSV alike). Roles not in
 * {@code privacy.usernames_visible_to} get {@code user: null}; with {@code privacy.pseudonymize} users
 * and devices ({@code user}, {@code mac}, {@code hostname}, {@code client_ip}) become keyed pseudonyms.
 * The user's display name ({@code user_name}) follows {@code user} exactly: null when the user is hidden,
 * the user's pseudonym when pseudonymized. The same values are replaced inside the evidence lines, which
 * quote them. Teachers ({@code teacher}, {@code teacher_name}) are staff, named as the roster names them
 * to every role that may see the row, pseudonymized or not: the section they teach is no secret.
 */
final class PrivacyFilter {
  static final String HIDDEN = "(hidden)";
  private static final String[][] FIELDS = {{"user", "user"}, {"mac", "device"}, {"hostname", "host"},
      {"client_ip", "ip"}};
  private final BellwatchConfig.Privacy cfg;
  private final Supplier<Pseudonyms> pseudonyms;

  PrivacyFilter(BellwatchConfig.Privacy cfg, Supplier<Pseudonyms> pseudonyms) {
    this.cfg = cfg;
    this.pseudonyms = pseudonyms;
  }

  boolean canSeeUsers(Role role) {
    return cfg.usernamesVisibleTo().contains(role.id());
  }

  boolean pseudonymized() {
    return cfg.pseudonymize();
  }

  ObjectNode apply(ObjectNode event, Role role) {
    Map<String, String> replace = new LinkedHashMap<>();
    JsonNode name = event.get("user_name");
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
      JsonNode user = event.get("user");
      String shown = user == null || user.isNull() ? null : cfg.pseudonymize() ? user.asText() : name.asText();
      if (!name.asText().equals(shown)) {
        event.put("user_name", shown);
        replace.put(name.asText(), shown == null ? HIDDEN : shown);
      }
    }
    if (!replace.isEmpty() && event.get("evidence") instanceof ArrayNode evidence) {
      List<String> keys = new ArrayList<>(replace.keySet());
      keys.sort(Comparator.comparingInt(String::length).reversed());
      for (int i = 0; i < evidence.size(); i++) {
        String line = evidence.get(i).asText();
        for (String k : keys) {
          // Whole tokens only: 10.0.1.2 must not rewrite part of 10.0.1.20.
          line = Pattern.compile("(?<![A-Za-z0-9_.:-])" + Pattern.quote(k) + "(?![A-Za-z0-9_:-])")
              .matcher(line).replaceAll(Matcher.quoteReplacement(replace.get(k)));
        }
        evidence.set(i, line);
      }
    }
    return event;
  }
}
