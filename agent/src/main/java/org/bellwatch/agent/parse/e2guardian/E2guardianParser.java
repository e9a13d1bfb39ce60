package org.bellwatch.agent.parse.e2guardian;

import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Csv;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.parse.LogParser;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.SyslogHeader;
import org.bellwatch.agent.parse.Users;

/**
 * e2guardian's access log (e2guardian.conf {@code logfileformat}), as a file or through syslog
 * ({@code logsyslog = on}); each line's format is recognized by its shape:
 *
 * <ul>
 *   <li>5 and 6 (6 is e2guardian 5's default; 5 fills the server field): tab-separated {@code
 *       epoch.ms server user client clienthost url method status size mimetype useragent - duration
 *       - message-number what weight category group-name group-number};
 *   <li>1 (DansGuardian's, space-separated), 2 (CSV, every field quoted) and 4 (tab-separated):
 *       {@code yyyy.m.d h:mm:ss[ epoch.ms] user client url what method size weight category
 *       group-number status mimetype clienthost group-name ...}, in the appliance's local time (the
 *       source's zone) unless {@code logtimestamp} adds the epoch.
 * </ul>
 *
 * The {@code what} field opens with markers such as {@code *DENIED* } (also {@code *DENIED-POST*},
 * {@code *DENIED-PARAMS*}, and the word of each translation e2guardian ships), then the reason: a
 * marked line is a {@code proxy-deny} with the category as logged and the reason as the rule. Every
 * other line is allowed ({@code *TRUSTED*} exceptions, {@code *NETERROR*} failures, plain
 * requests). Format 3 is Squid's native format: read it as vendor {@code squid}; it cannot tell a
 * block from a network error (both are {@code TCP_DENIED/403}), so this parser names it {@code
 * e2guardian_format_3} instead of guessing. e2guardian's own notices through syslog (start, stop,
 * retries) return null.
 */
public final class E2guardianParser implements LogParser {
  public static final String VENDOR = "e2guardian";

  /** Message 52 ("DENIED") of every language e2guardian ships (languages/{@literal *}/messages). */
  private static final Set<String> DENIED_WORDS =
      Set.of("DENIED", "VERWEIGERT", "NEGADO", "Accès interdit", "ЗАПРЕЩЕН");

  private static final Pattern WHEN =
      Pattern.compile("(\\d{4})\\.(\\d{1,2})\\.(\\d{1,2}) (\\d{1,2}):(\\d{1,2}):(\\d{1,2})");
  private static final Pattern EPOCH = Pattern.compile("\\d{1,12}\\.\\d{1,9}");
  private static final Pattern SQUID = Pattern.compile("\\d{1,12}\\.\\d{1,9} +\\d+ .*");
  private static final Pattern METHOD = Pattern.compile("[A-Z][A-Z-]{0,19}");
  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,12}");
  private static final Pattern STATUS = Pattern.compile("\\d{3}");

  /** Fields of formats 5 and 6. */
  private static final int TAB_FIELDS = 20;

  /** Fields of formats 2 and 4 up to the group name: the ones read. */
  private static final int WHEN_FIELDS = 14;

  private final ParseContext context;

  public E2guardianParser(ParseContext context) {
    this.context = context;
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return null;
    }
    SyslogHeader h = SyslogHeader.parse(trimmed, context.zone(), context.reference().instant());
    String body = h.payload();
    boolean syslog = h.pri() >= 0 || h.tag() != null;
    Record r;
    if (body.indexOf('\t') >= 0) {
      String[] f = body.split("\t", -1);
      r = EPOCH.matcher(f[0]).matches() ? epochTabs(f) : when(Arrays.asList(f));
    } else if (body.startsWith("\"")) {
      r = when(Csv.split(body));
    } else if (WHEN.matcher(body).lookingAt()) {
      r = spaces(body.split(" ", -1));
    } else if (SQUID.matcher(body).matches()) {
      throw new MalformedException("e2guardian_format_3");
    } else if (syslog) {
      return null; // e2guardian's own notices: "Started successfully.", "hw4: retry 1 to connect to
      // ..."
    } else {
      throw new MalformedException("e2guardian_unknown_format");
    }
    return r.event(line);
  }

  /** Formats 5 and 6. */
  private Record epochTabs(String[] f) throws MalformedException {
    if (f.length < TAB_FIELDS) {
      throw new MalformedException("e2guardian_too_few_fields");
    }
    return new Record(epoch(f[0]), f[2], f[3], f[5], f[6], f[15], f[17]);
  }

  /** Formats 2 and 4: the fields of format 1, each whole. */
  private Record when(List<String> f) throws MalformedException {
    if (f.size() < WHEN_FIELDS) {
      throw new MalformedException("e2guardian_too_few_fields");
    }
    String when = f.get(0);
    int sp = when.lastIndexOf(' ');
    Instant time =
        sp > 0 && EPOCH.matcher(when.substring(sp + 1)).matches()
            ? epoch(when.substring(sp + 1))
            : local(when);
    return new Record(time, f.get(1), f.get(2), f.get(3), f.get(5), f.get(4), f.get(8));
  }

  /**
   * Format 1: single spaces between fields, but the reason ({@code what}) and the category may hold
   * spaces too. The method is the first upper-case word after the URL followed by two integers
   * (size and weight), and the category runs up to the group number and the three-digit status.
   */
  private Record spaces(String[] t) throws MalformedException {
    int at = 2;
    Instant time;
    if (t.length > at && EPOCH.matcher(t[at]).matches()) {
      time = epoch(t[at]); // logtimestamp = on
      at++;
    } else {
      time = local(t[0] + " " + t[1]);
    }
    int who = at;
    int what = at + 3;
    int method = what;
    while (method + 2 < t.length
        && !(METHOD.matcher(t[method]).matches()
            && INTEGER.matcher(t[method + 1]).matches()
            && INTEGER.matcher(t[method + 2]).matches())) {
      method++;
    }
    int group = method + 4;
    while (group + 1 < t.length
        && !(INTEGER.matcher(t[group]).matches() && STATUS.matcher(t[group + 1]).matches())) {
      group++;
    }
    if (group + 1 >= t.length) {
      throw new MalformedException("e2guardian_too_few_fields");
    }
    return new Record(
        time,
        t[who],
        t[who + 1],
        t[who + 2],
        t[method],
        String.join(" ", Arrays.copyOfRange(t, what, method)),
        String.join(" ", Arrays.copyOfRange(t, method + 3, group)));
  }

  private static Instant epoch(String text) throws MalformedException {
    try {
      return SyslogHeader.epoch(text);
    } catch (NumberFormatException e) {
      throw new MalformedException("e2guardian_bad_time");
    }
  }

  /** {@code 2026.12.7 9:05:07}: e2guardian pads neither month, day nor hour. */
  private Instant local(String text) throws MalformedException {
    Matcher m = WHEN.matcher(text);
    if (!m.matches()) {
      throw new MalformedException("e2guardian_bad_time");
    }
    try {
      return LocalDateTime.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              Integer.parseInt(m.group(4)),
              Integer.parseInt(m.group(5)),
              Integer.parseInt(m.group(6)))
          .atZone(context.zone())
          .toInstant();
    } catch (DateTimeException e) {
      throw new MalformedException("e2guardian_bad_time");
    }
  }

  /** The fields every format has, as logged. */
  private record Record(
      Instant time,
      String who,
      String from,
      String url,
      String method,
      String what,
      String category) {

    FilterEvent event(String raw) throws MalformedException {
      // anonymizelogs writes 0.0.0.0 for every client: no address is known.
      InetAddress client = from.equals("0.0.0.0") ? null : AddressText.parseIp(from);
      if (client == null && !from.equals("0.0.0.0")) {
        throw new MalformedException("e2guardian_bad_client");
      }
      String user = Users.normalize(who);
      String reason = what.strip();
      boolean denied = false;
      StringBuilder markers = new StringBuilder();
      // Markers lead the field, each "*WORD* " (e2guardian prepends them: header and content
      // changes
      // before the verdict); what follows the last one is the reason.
      while (reason.startsWith("*")) {
        int close = reason.indexOf('*', 1);
        if (close < 0) {
          break;
        }
        String word = reason.substring(1, close);
        int dash = word.indexOf('-');
        denied |= DENIED_WORDS.contains(dash > 0 ? word.substring(0, dash) : word);
        markers.append(markers.length() == 0 ? "" : " ").append(reason, 0, close + 1);
        reason = reason.substring(close + 1).strip();
      }
      String summary =
          (markers.length() == 0 ? "" : markers + " ")
              + method
              + " "
              + url
              + (user == null ? "" : " user " + user);
      String cat = category.isBlank() || category.equals("-") ? null : category.strip();
      return new FilterEvent(
          time,
          client,
          user,
          url,
          Domains.hostOfUrl(url),
          cat,
          denied ? Action.BLOCKED : Action.ALLOWED,
          VENDOR,
          denied ? BlockMethod.PROXY_DENY : null,
          denied && !reason.isEmpty() && !reason.equals("-") ? reason : null,
          summary,
          raw);
    }
  }
}
