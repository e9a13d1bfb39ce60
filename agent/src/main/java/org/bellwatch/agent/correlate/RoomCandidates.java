package org.bellwatch.agent.correlate;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The room a host name names by the configured pattern ({@code schedule.room_hostname_pattern}, a
 * named group {@code room}), or "" when it names none. The regex runs once per name: a school has a
 * few thousand devices, each blocked many times. Past {@value #MAX_CACHED_NAMES} names the memory
 * starts over, so a flood of invented host names cannot grow it.
 */
final class RoomCandidates {
  static final int MAX_CACHED_NAMES = 100_000;
  private final Pattern pattern;
  private final Map<String, String> byHostname = new HashMap<>();

  RoomCandidates(Pattern pattern) {
    this.pattern = pattern;
  }

  String of(String hostname) {
    String c = byHostname.get(hostname);
    if (c == null) {
      Matcher m = pattern.matcher(hostname);
      c = m.find() && m.group("room") != null ? m.group("room") : "";
      if (byHostname.size() >= MAX_CACHED_NAMES) {
        byHostname.clear();
      }
      byHostname.put(hostname, c);
    }
    return c;
  }
}
