package org.bellwatch.agent.parse.cef;

import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.parse.LogParser;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.SiemTime;
import org.bellwatch.agent.parse.Users;

/**
 * ArcSight Common Event Format (CEF 0/1), generic: {@code
 * CEF:0|vendor|product|version|signature|name| severity|extension}, optionally behind a syslog
 * header. Header fields escape {@code \|} and {@code \\}; extension values escape {@code \=},
 * {@code \\}, {@code \n} and run to the next {@code key=}.
 *
 * <p>Read: {@code src} client, {@code suser} user, {@code request} URL, {@code dhost} host (else
 * the URL's), {@code cat} category, {@code act} the outcome, {@code rt} or {@code end} the time
 * (epoch milliseconds or {@code MMM dd yyyy HH:mm:ss} in the source's zone, else the syslog
 * header's time). An {@code act} containing block, deny, drop or reject is a {@code filter-deny},
 * one containing warn a warning. The rule is the {@code csN} whose {@code csNLabel} mentions rule
 * or policy.
 */
public final class CefParser implements LogParser {
  public static final String VENDOR = "cef";
  private final ParseContext context;

  public CefParser(ParseContext context) {
    this.context = context;
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    String trimmed = line.strip();
    int at = trimmed.indexOf("CEF:");
    if (at < 0) {
      if (trimmed.isEmpty()) {
        return null;
      }
      throw new MalformedException("cef_no_header");
    }
    Instant headerTime = SiemTime.headerTime(trimmed, at, context);
    String[] head = new String[8];
    int field = 0;
    StringBuilder cur = new StringBuilder();
    int i = at + 4;
    for (; i < trimmed.length() && field < 7; i++) {
      char c = trimmed.charAt(i);
      if (c == '\\' && i + 1 < trimmed.length()) {
        cur.append(trimmed.charAt(++i));
      } else if (c == '|') {
        head[field++] = cur.toString();
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (field < 7) {
      throw new MalformedException("cef_short_header");
    }
    Map<String, String> ext = extension(trimmed.substring(i));
    Instant time =
        SiemTime.of(
            ext.get("rt") != null ? ext.get("rt") : ext.get("end"),
            headerTime,
            true,
            VENDOR,
            context);
    InetAddress client = AddressText.parseIp(ext.get("src"));
    if (ext.get("src") != null && client == null) {
      throw new MalformedException("cef_bad_src");
    }
    String act = ext.getOrDefault("act", "").toLowerCase(Locale.ROOT);
    Action verdict =
        act.matches(".*(block|den|drop|reject).*")
            ? Action.BLOCKED
            : act.contains("warn") ? Action.WARNED : Action.ALLOWED;
    String url = ext.get("request");
    String domain =
        ext.get("dhost") != null ? Domains.normalize(ext.get("dhost")) : Domains.hostOfUrl(url);
    String rule = null;
    for (int n = 1; n <= 6 && rule == null; n++) {
      String label = ext.get("cs" + n + "Label");
      if (label != null && label.toLowerCase(Locale.ROOT).matches(".*(rule|policy).*")) {
        rule = ext.get("cs" + n);
      }
    }
    String user = Users.normalize(ext.get("suser"));
    String category = ext.get("cat");
    String summary =
        head[1]
            + " "
            + head[2]
            + " "
            + head[5]
            + " "
            + act
            + " "
            + (url != null ? url : domain)
            + (user == null ? "" : " user " + user);
    return new FilterEvent(
        time,
        client,
        user,
        url,
        domain,
        category,
        verdict,
        VENDOR,
        verdict == Action.ALLOWED ? null : BlockMethod.FILTER_DENY,
        rule,
        summary,
        line);
  }

  /**
   * CEF extension: {@code key=value} pairs; a value runs to the space before the next unescaped
   * {@code key=}.
   */
  static Map<String, String> extension(String s) {
    Map<String, String> out = new LinkedHashMap<>();
    String key = null;
    StringBuilder val = new StringBuilder();
    int i = 0;
    int n = s.length();
    while (i < n && out.size() < 256) {
      if (key == null) {
        int eq = s.indexOf('=', i);
        if (eq < 0) {
          break;
        }
        key = s.substring(i, eq).strip();
        i = eq + 1;
        continue;
      }
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < n) {
        char e = s.charAt(i + 1);
        val.append(e == 'n' ? '\n' : e == 'r' ? '\r' : e);
        i += 2;
        continue;
      }
      if (c == ' ') {
        int j = i + 1;
        while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
          j++;
        }
        if (j > i + 1 && j < n && s.charAt(j) == '=') {
          out.putIfAbsent(key, val.toString().strip());
          val.setLength(0);
          key = s.substring(i + 1, j);
          i = j + 1;
          continue;
        }
      }
      val.append(c);
      i++;
    }
    if (key != null) {
      out.putIfAbsent(key, val.toString().strip());
    }
    return out;
  }
}
