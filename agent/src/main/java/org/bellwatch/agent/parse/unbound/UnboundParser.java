package org.bellwatch.agent.parse.unbound;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.parse.IsoTimes;
import org.bellwatch.agent.parse.LogParser;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.SafeSearch;
import org.bellwatch.agent.parse.SyslogHeader;

/**
 * Unbound's own log, as pfSense and OPNsense keep it: through syslog ({@code use-syslog: yes}; the
 * message starts with {@code [pid:thread] type: }) or in a {@code logfile} ({@code [epoch]
 * unbound[pid:thread] type: }, or with {@code log-time-ascii} {@code Mmm dd hh:mm:ss unbound[...]},
 * or with {@code log-time-iso} an ISO 8601 time). Two kinds of {@code info} lines are blocks, each
 * naming the client as {@code address@port}:
 *
 * <ul>
 *   <li>{@code rpz-log: yes}: {@code rpz: applied [log-name] trigger action client@port qname qtype
 *       qclass}. {@code rpz-nxdomain}, {@code rpz-nodata} and {@code rpz-drop} refuse the name;
 *       {@code rpz-local-data} and {@code rpz-cname-override} send the client elsewhere (a block
 *       page, {@code 0.0.0.0}). {@code rpz-passthru}, {@code rpz-tcp-only} and {@code rpz-disabled}
 *       let the query through.
 *   <li>{@code log-local-actions: yes}: {@code zone type client@port qname qtype qclass}, for local
 *       zones of the kinds a filter uses: {@code deny}, {@code refuse}, {@code always_*} ({@code
 *       nxdomain}, {@code nodata}, {@code null}, {@code refuse}, {@code deny}), {@code
 *       inform_deny}, and {@code redirect}/{@code inform_redirect} (a blocklist's zone answered by
 *       its own data). The site's own names ({@code static}, {@code transparent}, {@code
 *       typetransparent}, {@code inform}, {@code nodefault}) are not blocks.
 * </ul>
 *
 * A rewrite (redirect, local data, CNAME) of a name that SafeSearch enforcement rewrites is not a
 * block ({@link SafeSearch}). Queries ({@code log-queries}), replies ({@code log-replies}) and
 * other messages carry no block and return null. The RPZ log name is the category; the trigger, or
 * the local zone, is the rule.
 */
public final class UnboundParser implements LogParser {
  public static final String VENDOR = "unbound";

  /**
   * What opens every Unbound message (util/log.c): the process and thread, then the message type.
   */
  private static final Pattern MARKER =
      Pattern.compile("\\[\\d{1,10}:[0-9a-fA-F]{1,16}\\] ([a-z][a-z ]{0,15}): ");

  /** A logfile line's head without {@code log-time-ascii}: {@code [epoch seconds] ident}. */
  private static final Pattern EPOCH_HEAD = Pattern.compile("\\[(\\d{1,12})\\] \\S+");

  private static final String RPZ = "rpz: applied ";

  /** RPZ actions that answer the name with nothing: the client gets no address. */
  private static final Set<String> RPZ_REFUSALS = Set.of("rpz-nxdomain", "rpz-nodata", "rpz-drop");

  /** RPZ actions that answer with the policy's own data: a block page, or a SafeSearch address. */
  private static final Set<String> RPZ_REWRITES = Set.of("rpz-local-data", "rpz-cname-override");

  /** Local-zone types that refuse every name in the zone (unbound.conf(5), local-zone). */
  private static final Set<String> LOCAL_REFUSALS =
      Set.of(
          "deny",
          "refuse",
          "inform_deny",
          "always_refuse",
          "always_nxdomain",
          "always_null",
          "always_nodata",
          "always_deny");

  /** Local-zone types that answer every name in the zone with the zone's own data. */
  private static final Set<String> LOCAL_REWRITES = Set.of("redirect", "inform_redirect");

  /** {@code zone type client@port qname qtype qclass}. */
  private static final int LOCAL_FIELDS = 6;

  /** After the trigger: {@code action client@port qname qtype qclass}. */
  private static final int RPZ_TAIL_FIELDS = 5;

  private final ParseContext context;

  public UnboundParser(ParseContext context) {
    this.context = context;
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    String trimmed = line.strip();
    Matcher m = MARKER.matcher(trimmed);
    if (!m.find()) {
      return null; // not an Unbound message: another program's line, or a continuation of a long
      // dump
    }
    String type = m.group(1);
    if (!type.equals("info")) {
      return null; // query/reply tags (log-tag-queryreply), notices, warnings, errors
    }
    String msg = trimmed.substring(m.end());
    Instant time;
    if (msg.startsWith(RPZ)) {
      time = time(trimmed.substring(0, m.start()).strip());
      return rpz(msg.substring(RPZ.length()), time, line);
    }
    String[] f = msg.split(" ", -1);
    if (f.length == LOCAL_FIELDS && f[2].indexOf('@') > 0) {
      time = time(trimmed.substring(0, m.start()).strip());
      return local(f, time, line);
    }
    return null;
  }

  /** {@code [log-name] trigger action client@port qname qtype qclass}, read from the right. */
  private FilterEvent rpz(String rest, Instant time, String raw) throws MalformedException {
    String logName = null;
    if (rest.startsWith("[")) {
      int close = rest.indexOf("] ");
      if (close < 0) {
        throw new MalformedException("unbound_bad_rpz");
      }
      logName = rest.substring(1, close);
      rest = rest.substring(close + 2);
    }
    String[] tail = new String[RPZ_TAIL_FIELDS];
    int end = rest.length();
    for (int k = RPZ_TAIL_FIELDS - 1; k >= 0; k--) {
      int sp = rest.lastIndexOf(' ', end - 1);
      if (sp < 0 && k > 0) {
        throw new MalformedException("unbound_bad_rpz");
      }
      tail[k] = rest.substring(sp + 1, end);
      end = Math.max(sp, 0);
    }
    String action = tail[0];
    String name = Domains.normalize(tail[2]);
    boolean refused = RPZ_REFUSALS.contains(action);
    if (!refused && !(RPZ_REWRITES.contains(action) && !SafeSearch.isEnforcedName(name))) {
      return null;
    }
    // Unbound leaves the client out when the answer is not for a client (a prefetch): unknown, not
    // guessed.
    InetAddress client = tail[1].isEmpty() ? null : client(tail[1]);
    String trigger = rest.substring(0, end).strip();
    return event(
        time,
        client,
        name,
        logName,
        trigger.isEmpty() ? null : trigger,
        action + " " + tail[2] + " " + tail[3] + " " + tail[4],
        raw);
  }

  /** {@code zone type client@port qname qtype qclass}. */
  private FilterEvent local(String[] f, Instant time, String raw) throws MalformedException {
    String type = f[1];
    String name = Domains.normalize(f[3]);
    if (!LOCAL_REFUSALS.contains(type)
        && !(LOCAL_REWRITES.contains(type) && !SafeSearch.isEnforcedName(name))) {
      return null;
    }
    return event(
        time,
        client(f[2]),
        name,
        null,
        "local-zone " + f[0],
        type + " " + f[3] + " " + f[4] + " " + f[5],
        raw);
  }

  private static FilterEvent event(
      Instant time,
      InetAddress client,
      String name,
      String category,
      String rule,
      String summary,
      String raw) {
    return new FilterEvent(
        time,
        client,
        null,
        null,
        name,
        category,
        Action.BLOCKED,
        VENDOR,
        BlockMethod.DNS_BLOCK,
        rule,
        summary,
        raw);
  }

  /** {@code 10.0.0.5@53124} or {@code 2001:db8::5@53124}. */
  private static InetAddress client(String addressAtPort) throws MalformedException {
    int at = addressAtPort.lastIndexOf('@');
    InetAddress a = at > 0 ? AddressText.parseIp(addressAtPort.substring(0, at)) : null;
    if (a == null) {
      throw new MalformedException("unbound_bad_client");
    }
    return a;
  }

  /**
   * The time in front of the marker: {@code [epoch] ident} (logfile), an ISO 8601 time ({@code
   * log-time-iso}), or a syslog header / {@code log-time-ascii} time, read as RFC 3164 (no year,
   * the source's zone).
   */
  private Instant time(String head) throws MalformedException {
    Matcher e = EPOCH_HEAD.matcher(head);
    if (e.matches()) {
      try {
        return SyslogHeader.epoch(e.group(1));
      } catch (NumberFormatException ex) {
        throw new MalformedException("unbound_bad_time");
      }
    }
    return IsoTimes.leading(head, context, VENDOR);
  }
}
