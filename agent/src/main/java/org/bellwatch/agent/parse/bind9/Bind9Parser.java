package org.bellwatch.agent.parse.bind9;

import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
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

/**
 * BIND 9's client messages, the format Infoblox NIOS and BlueCat keep: a channel's optional {@code
 * print-time} ({@code 07-Dec-2026 06:45:20.011}, or ISO 8601), {@code print-category} and {@code
 * print-severity} prefixes, or a syslog header, then {@code client [@0x...] address#port [(qname)]:
 * [view name: ] message}. A {@code rpz} category message {@code rpz TYPE POLICY rewrite
 * qname/qtype/qclass via trigger} (BIND 9.10 and later; older releases omit {@code /qtype/qclass})
 * is a block when the policy refuses the name ({@code NXDOMAIN}, {@code NODATA}, {@code DROP}) or
 * answers with the policy zone's data ({@code Local-Data}, {@code CNAME}: a block page), except a
 * rewrite of a name SafeSearch enforcement rewrites ({@link SafeSearch}). {@code PASSTHRU}, {@code
 * TCP-ONLY}, {@code DNS64}, {@code disabled rpz ...} lines and {@code queries}/{@code query-errors}
 * messages carry no block and return null. The trigger record ({@code via}) is the rule.
 *
 * <p>A file channel without {@code print-time} writes no time at all: such lines are counted as
 * {@code bind9_no_time} (give the channel {@code print-time yes}, or send it to syslog).
 */
public final class Bind9Parser implements LogParser {
  public static final String VENDOR = "bind9";

  /**
   * {@code client @0x7f.. 10.0.0.5#53124 (name): } (lib/ns/client.c, ns_client_logv); the qname in
   * parentheses escapes {@code )} with a backslash.
   */
  private static final Pattern CLIENT =
      Pattern.compile(
          "(?:^|[\\s:])client (?:@0x[0-9a-fA-F]{1,16} )?([0-9A-Fa-f.:]{2,45})#(\\d{1,5})(?: \\((?:\\\\.|[^)\\\\]){0,1100}\\))?: ");

  private static final Pattern VIEW = Pattern.compile("^view [^:]{1,200}: ");

  /** {@code name/TYPE/CLASS} as BIND prints them: a type mnemonic or {@code TYPE65280}, a class. */
  private static final Pattern NAME_TYPE_CLASS =
      Pattern.compile("(.+)/([A-Z][A-Z0-9-]{0,15})/([A-Z][A-Z0-9]{0,15})");

  private static final DateTimeFormatter PRINT_TIME =
      DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss[.SSS]", Locale.ENGLISH);

  /** {@code dd-Mmm-yyyy hh:mm:ss.mmm}: the longest {@code print-time yes} text. */
  private static final int PRINT_TIME_CHARS = 24;

  private static final Set<String> REFUSALS = Set.of("NXDOMAIN", "NODATA", "DROP");
  private static final Set<String> REWRITES = Set.of("Local-Data", "CNAME");

  /** {@code rpz TYPE POLICY rewrite name via trigger}. */
  private static final int RPZ_FIELDS = 7;

  private final ParseContext context;

  public Bind9Parser(ParseContext context) {
    this.context = context;
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    String trimmed = line.strip();
    Matcher c = CLIENT.matcher(trimmed);
    if (!c.find()) {
      return null; // a server message (zone loads, start-up), not about a client
    }
    String msg = trimmed.substring(c.end());
    Matcher v = VIEW.matcher(msg);
    if (v.find()) {
      msg = msg.substring(v.end());
    }
    if (!msg.startsWith("rpz ")) {
      return null; // queries, query-errors, and "disabled rpz" (logged, not applied)
    }
    String[] f = msg.split(" ", RPZ_FIELDS + 1);
    if (f.length < RPZ_FIELDS || !f[3].equals("rewrite") || !f[5].equals("via")) {
      throw new MalformedException("bind9_bad_rpz");
    }
    String policy = f[2];
    Matcher ntc = NAME_TYPE_CLASS.matcher(f[4]);
    String name = Domains.normalize(ntc.matches() ? ntc.group(1) : f[4]);
    boolean refused = REFUSALS.contains(policy);
    if (!refused && !(REWRITES.contains(policy) && !SafeSearch.isEnforcedName(name))) {
      return null;
    }
    InetAddress client = AddressText.parseIp(c.group(1));
    if (client == null) {
      throw new MalformedException("bind9_bad_client");
    }
    Instant time = time(trimmed.substring(0, c.start()).strip());
    return new FilterEvent(
        time,
        client,
        null,
        null,
        name,
        null,
        Action.BLOCKED,
        VENDOR,
        BlockMethod.DNS_BLOCK,
        f[6],
        "rpz " + f[1] + " " + policy + " rewrite " + f[4],
        line);
  }

  /**
   * The time in front of {@code client}: the channel's {@code print-time} ({@code yes}/{@code
   * local}, or {@code iso8601}/{@code iso8601-utc}), else the syslog header's (RFC 3164: no year,
   * the source's zone).
   */
  private Instant time(String head) throws MalformedException {
    if (head.length() >= PRINT_TIME_CHARS - 4 && head.charAt(2) == '-' && head.charAt(6) == '-') {
      int end = head.indexOf(' ', head.indexOf(' ') + 1);
      try {
        return LocalDateTime.parse(end < 0 ? head : head.substring(0, end), PRINT_TIME)
            .atZone(context.zone())
            .toInstant();
      } catch (DateTimeException e) {
        throw new MalformedException("bind9_bad_time");
      }
    }
    return IsoTimes.leading(head, context, VENDOR);
  }
}
