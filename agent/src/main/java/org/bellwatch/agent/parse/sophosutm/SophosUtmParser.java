package org.bellwatch.agent.parse.sophosutm;

import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.Map;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.parse.KeyValues;
import org.bellwatch.agent.parse.LogParser;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.SyslogHeader;
import org.bellwatch.agent.parse.Users;

/**
 * Sophos UTM 9 web filtering ({@code httpproxy}, {@code sub="http"}) key="value" lines behind UTM's
 * {@code YYYY:MM:DD-HH:MM:SS host prog[pid]:} header, whose local time takes the source's zone.
 *
 * <p>{@code action="block"} is a {@code proxy-deny}, {@code action="warn"} (id 0071) a warning;
 * {@code id="0072"} ("warned and proceeded") is the user clicking through: allowed. Category:
 * {@code categoryname}, whose comma list is reduced to its distinct names. Rule: the {@code
 * profile}. Lines without a URL and client (internal errors, id 0003) and other programs return
 * null.
 */
public final class SophosUtmParser implements LogParser {
  public static final String VENDOR = "sophos_utm";
  private final ParseContext context;

  public SophosUtmParser(ParseContext context) {
    this.context = context;
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return null;
    }
    SyslogHeader h = SyslogHeader.parse(trimmed, context.zone(), context.reference().instant());
    if (h.time() == null) {
      throw new MalformedException("sophos_utm_no_header");
    }
    if (!"httpproxy".equals(h.tag())) {
      return null;
    }
    Map<String, String> kv = KeyValues.parse(h.payload());
    String url = KeyValues.get(kv, "url");
    String src = KeyValues.get(kv, "srcip");
    if (url == null || src == null) {
      return null;
    }
    InetAddress client = AddressText.parseIp(src);
    if (client == null) {
      throw new MalformedException("sophos_utm_bad_srcip");
    }
    String action = KeyValues.get(kv, "action");
    Action verdict =
        "block".equals(action)
            ? Action.BLOCKED
            : "warn".equals(action) ? Action.WARNED : Action.ALLOWED;
    String category = distinct(KeyValues.get(kv, "categoryname"));
    String user = Users.normalize(KeyValues.get(kv, "user"));
    String name = KeyValues.get(kv, "name");
    String summary =
        (name == null ? action : name)
            + " "
            + url
            + (category == null ? "" : " category " + category)
            + (user == null ? "" : " user " + user);
    return new FilterEvent(
        h.time(),
        client,
        user,
        url,
        Domains.hostOfUrl(url),
        category,
        verdict,
        VENDOR,
        verdict == Action.ALLOWED ? null : BlockMethod.PROXY_DENY,
        KeyValues.get(kv, "profile"),
        summary,
        line);
  }

  private static String distinct(String list) {
    if (list == null) {
      return null;
    }
    LinkedHashSet<String> names = new LinkedHashSet<>();
    for (String s : list.split(",")) {
      if (!s.isBlank()) {
        names.add(s.strip());
      }
    }
    return names.isEmpty() ? null : String.join(",", names);
  }
}
