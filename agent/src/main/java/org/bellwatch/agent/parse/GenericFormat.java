package org.bellwatch.agent.parse;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.bellwatch.agent.event.Action;

/**
 * How the {@code generic} vendor reads a log it has no class for, validated once by the
 * configuration loader ({@code logs.files[].generic}, {@code syslog.listeners[].generic}).
 *
 * @param pattern regex format: a pattern with named groups from {@link #FIELDS} (an underscore in a
 *     group name is dropped before compiling, since Java group names are letters and digits: {@code
 *     (?<client_ip>...)} is the group {@code clientip}); null for JSON lines
 * @param jsonFields JSON format: field name from {@link #FIELDS} to a dotted path of object keys;
 *     empty for the regex format
 * @param timeFormat {@code iso8601}, {@code epoch_secs}, {@code epoch_millis} or a {@link
 *     java.time.format.DateTimeFormatter} pattern; times without an offset are in the source's zone
 * @param actions action value as logged (compared case-insensitively, stored lower-case) to action
 * @param defaultAction action of a record whose action is absent or not in {@code actions}; null
 *     makes such a record malformed ({@code generic_unknown_action})
 * @param blockMethod {@code method} of blocked and warned records, a {@link
 *     org.bellwatch.agent.event.BlockMethod}
 */
public record GenericFormat(
    Pattern pattern,
    Map<String, String> jsonFields,
    String timeFormat,
    Map<String, Action> actions,
    Action defaultAction,
    String blockMethod) {

  /**
   * The fields a generic record can carry; {@code time} and one of {@code url} or {@code host} are
   * required.
   */
  public static final List<String> FIELDS =
      List.of("time", "client_ip", "user", "url", "host", "category", "action", "rule");

  public GenericFormat {
    jsonFields = Map.copyOf(jsonFields);
    actions = Map.copyOf(actions);
  }

  public boolean json() {
    return pattern == null;
  }

  /**
   * A pattern as written in configuration, with field group names made legal for {@link Pattern}.
   */
  public static Pattern compile(String regex) {
    String r = regex;
    for (String f : FIELDS) {
      if (f.contains("_")) {
        r = r.replace("(?<" + f + ">", "(?<" + f.replace("_", "") + ">");
      }
    }
    return Pattern.compile(r);
  }

  /** The group name of {@code field} in a compiled pattern. */
  public static String group(String field) {
    return field.replace("_", "");
  }

  /**
   * Whether a compiled pattern has a named group for {@code field} (Java 17 has no group listing).
   */
  public static boolean hasGroup(Pattern p, String field) {
    return p.pattern().contains("(?<" + group(field) + ">");
  }
}
