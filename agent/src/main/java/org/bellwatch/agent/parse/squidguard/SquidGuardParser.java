package org.bellwatch.agent.parse.squidguard;

import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.parse.LocalDateTimes;
import org.bellwatch.agent.parse.LogParser;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.Users;

/**
 * squidGuard's own log, the file a {@code log} directive in a {@code dest} or {@code acl} block
 * names ({@code logdir}/blocked.log): {@code yyyy-MM-dd HH:mm:ss [pid] Request(source/dest/rewrite)
 * URL ip/fqdn ident method REDIRECT}, local time in whole seconds. squidGuard writes such a line
 * when it redirects a request, which it does only to refuse it (a {@code pass} is not logged), so
 * every {@code Request} line is a {@code proxy-redirect} block; its {@code dest} (the blocklist
 * that matched, such as {@code adult}) is the category and its {@code source/acl} the rule. squid's
 * {@code TCP_REDIRECT} line of the same request joins the same attempt in the correlator.
 * squidGuard's start-up and {@code Info:} lines carry no request and return null. Times are read in
 * the file's zone ({@code logs.files[].timezone}).
 */
public final class SquidGuardParser implements LogParser {
  public static final String VENDOR = "squidguard";
  private static final Pattern LINE =
      Pattern.compile("^(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:\\d{2}:\\d{2}) \\[\\d+\\] (.*)$");
  private static final Pattern REQUEST =
      Pattern.compile(
          "^Request\\(([^/)]*)/([^/)]*)/([^)]*)\\) (\\S+) ([^/\\s]+)/(\\S*) (\\S+) (\\S+)(?: (\\S+))?$");

  private final ParseContext context;

  public SquidGuardParser(ParseContext context) {
    this.context = context;
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return null;
    }
    Matcher m = LINE.matcher(trimmed);
    if (!m.matches()) {
      throw new MalformedException("squidguard_bad_line");
    }
    Matcher r = REQUEST.matcher(m.group(3));
    if (!r.matches()) {
      return null; // "squidGuard 1.6.0 started", "Info: ...", "squidGuard ready for requests"
    }
    Instant time;
    try {
      time =
          LocalDateTime.of(LocalDateTimes.date(m.group(1)), LocalDateTimes.time(m.group(2)))
              .atZone(context.zone())
              .toInstant();
    } catch (DateTimeException e) {
      throw new MalformedException("squidguard_bad_time");
    }
    InetAddress client = AddressText.parseIp(r.group(5));
    if (client == null) {
      throw new MalformedException("squidguard_bad_client");
    }
    String url = r.group(4);
    String dest = named(r.group(2));
    String source = named(r.group(1));
    String user = Users.normalize(r.group(7));
    String verdict = r.group(9);
    if (verdict != null && !verdict.equals("REDIRECT")) {
      return new FilterEvent(
          time,
          client,
          user,
          url,
          Domains.hostOfUrl(url),
          dest,
          Action.ALLOWED,
          VENDOR,
          null,
          source,
          r.group(8) + " " + url + " " + verdict,
          line);
    }
    String summary =
        "redirected "
            + r.group(8)
            + " "
            + url
            + (dest == null ? "" : " (" + dest + ")")
            + (user == null ? "" : " user " + user);
    return new FilterEvent(
        time,
        client,
        user,
        url,
        Domains.hostOfUrl(url),
        dest,
        Action.BLOCKED,
        VENDOR,
        BlockMethod.PROXY_REDIRECT,
        source,
        summary,
        line);
  }

  /**
   * squidGuard writes {@code -} for a part it has no name for (no rewrite rule, an unnamed source).
   */
  private static String named(String part) {
    return part.isEmpty() || part.equals("-") ? null : part;
  }
}
