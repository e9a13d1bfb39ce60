package org.bellwatch.agent.parse.squid;

import java.net.InetAddress;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Set;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.parse.Json;
import org.bellwatch.agent.parse.LogParser;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.SyslogHeader;
import org.bellwatch.agent.parse.Users;

/**
 * Squid's access log, as a file or behind a syslog header (pfSense, OPNsense):
 *
 * <ul>
 *   <li>native {@code logformat squid}: {@code time.ms elapsed client code/status bytes method URL
 *       user hierarchy/peer type}. Extended custom formats that keep {@code time elapsed client}
 *       first and {@code code/status ... method URL [HTTP-version] user} in that order (e.g. with a
 *       client port and extra sizes) are read by finding the result code and the method.
 *   <li>OPNsense's JSON access log ({@code
 *       {"@timestamp":..,"source":{"ip":..},"labels":{"request_status":..}}}).
 * </ul>
 *
 * <p>Result codes by their meaning (squid's access.log result codes):
 *
 * <ul>
 *   <li>{@code TCP_DENIED/403} is the proxy refusing content: a block. {@code TCP_DENIED/407} is
 *       the proxy asking for credentials (RFC 9110 section 15.5.8), which browsers answer silently:
 *       never a block.
 *   <li>{@code TCP_REDIRECT/3xx} is a {@code url_rewrite_program} (squidGuard, ufdbGuard) answering
 *       with a redirect: {@link Action#REDIRECTED}, a {@code proxy-redirect} when the pipeline
 *       finds it goes to a block page. Squid logs the original URL, not the target; a format that
 *       adds {@code %{Location}<h} after the native fields (quoted or not) gives the target.
 *   <li>A 500, 502, 503 or 504 is a request the proxy could not fetch ({@link Action#FAILED}):
 *       squid 5 logs {@code TCP_MISS/503} when it could not connect to the address its DNS gave (a
 *       sinkhole's {@code 0.0.0.0}), {@code TCP_MISS/502} for a name its DNS refused, {@code
 *       NONE_NONE/503} or {@code /500} for the same through {@code CONNECT}. Only the correlator
 *       can tell a DNS filter's refusal from a server that is down: it joins the filter's block of
 *       the proxy's own lookup.
 * </ul>
 *
 * Squid logs no category; the rule is unknown (a denying {@code http_access} ACL is not logged).
 */
public final class SquidNativeParser implements LogParser {
  public static final String VENDOR = "squid";
  private static final int FIELDS = 10;
  private static final Set<String> METHODS =
      Set.of(
          "GET",
          "POST",
          "HEAD",
          "PUT",
          "DELETE",
          "CONNECT",
          "OPTIONS",
          "PATCH",
          "TRACE",
          "PROPFIND",
          "NONE");

  /** OPNsense writes {@code 2026-08-08T19:42:51+0000}: an offset without a colon. */
  private static final DateTimeFormatter OPNSENSE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]XX");

  private final ParseContext context;

  public SquidNativeParser(ParseContext context) {
    this.context = context;
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    String trimmed = line.strip();
    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
      return null;
    }
    String body = trimmed;
    if (!Character.isDigit(trimmed.charAt(0))) {
      body =
          SyslogHeader.parse(trimmed, context.zone(), context.reference().instant())
              .payload()
              .strip();
    }
    if (body.startsWith("{")) {
      return json(body, line);
    }
    return nativeLine(body, line);
  }

  private FilterEvent nativeLine(String body, String raw) throws MalformedException {
    String[] f = fields(body);
    if (f.length < FIELDS) {
      throw new MalformedException("squid_too_few_fields");
    }
    Instant time = time(f[0]);
    InetAddress client = AddressText.parseIp(f[2]);
    if (client == null) {
      throw new MalformedException("squid_bad_client");
    }
    int codeAt = 3;
    while (codeAt < f.length && f[codeAt].indexOf('/') < 0) {
      codeAt++;
    }
    if (codeAt > 4 || codeAt >= f.length) {
      throw new MalformedException("squid_bad_result_code");
    }
    int slash = f[codeAt].indexOf('/');
    String code = f[codeAt].substring(0, slash);
    int status;
    try {
      status = Integer.parseInt(f[codeAt].substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new MalformedException("squid_bad_result_code");
    }
    int methodAt = codeAt + 2;
    int userAt = methodAt + 2;
    if (codeAt != 3) {
      // An extended format: the method is the first known one after the code, and an HTTP version
      // may
      // sit between the URL and the user.
      while (methodAt < f.length - 2 && !METHODS.contains(f[methodAt])) {
        methodAt++;
      }
      if (!METHODS.contains(f[methodAt])) {
        throw new MalformedException("squid_no_method");
      }
      userAt = methodAt + 2;
      if (userAt < f.length && f[userAt].matches("\\d\\.\\d")) {
        userAt++;
      }
    }
    String url = f[methodAt + 1];
    String user = userAt < f.length ? Users.normalize(f[userAt]) : null;
    Action action = action(code, status);
    String location = action == Action.REDIRECTED ? location(f, userAt + 1) : null;
    String summary =
        f[codeAt]
            + " "
            + f[methodAt]
            + " "
            + url
            + (user == null ? "" : " user " + user)
            + (location == null ? "" : " to " + location);
    return new FilterEvent(
        time,
        client,
        user,
        url,
        Domains.hostOfUrl(url),
        null,
        action,
        VENDOR,
        method(action),
        null,
        summary,
        raw,
        location);
  }

  /**
   * The redirect target of a format that logs the reply's {@code Location} header after the native
   * fields: the first later field that is an absolute http(s) URL, without the quotes a format may
   * put around it.
   */
  private static String location(String[] f, int from) {
    for (int i = from; i < f.length; i++) {
      String v = f[i];
      if (v.length() > 1 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
        v = v.substring(1, v.length() - 1);
      }
      if (v.regionMatches(true, 0, "http://", 0, 7) || v.regionMatches(true, 0, "https://", 0, 8)) {
        return v;
      }
    }
    return null;
  }

  private static String method(Action action) {
    return switch (action) {
      case BLOCKED -> BlockMethod.PROXY_DENY;
      case REDIRECTED -> BlockMethod.PROXY_REDIRECT;
      default -> null;
    };
  }

  private FilterEvent json(String body, String raw) throws MalformedException {
    Object o = Json.parse(body, 0);
    String ts = Json.text(o, "@timestamp");
    String statusText = Json.text(o, "http.response.body.status_code");
    String code = Json.text(o, "labels.request_status");
    String url = Json.text(o, "url.original");
    if (ts == null || statusText == null || code == null) {
      throw new MalformedException("squid_json_missing_field");
    }
    Instant time;
    try {
      time = OffsetDateTime.parse(ts, OPNSENSE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new MalformedException("squid_bad_time");
    }
    int status;
    try {
      status = Integer.parseInt(statusText);
    } catch (NumberFormatException e) {
      throw new MalformedException("squid_bad_result_code");
    }
    String ipText = Json.text(o, "source.ip");
    InetAddress client = ipText == null ? null : AddressText.parseIp(ipText);
    if (ipText != null && client == null) {
      throw new MalformedException("squid_bad_client");
    }
    String user = Users.normalize(Json.text(o, "user.name"));
    String method = Json.text(o, "http.request.method");
    Action action = action(code, status);
    String summary =
        code + "/" + status + " " + method + " " + url + (user == null ? "" : " user " + user);
    return new FilterEvent(
        time,
        client,
        user,
        url,
        Domains.hostOfUrl(url),
        null,
        action,
        VENDOR,
        method(action),
        null,
        summary,
        raw);
  }

  /**
   * The fields of a native line, separated by runs of white space as {@code \s+} of {@link
   * java.util.regex.Pattern} knows it (space, tab, LF, VT, FF, CR), read by hand: this runs for
   * every Squid message. {@code body} is stripped, so it neither begins nor ends with such a run,
   * and the result is the one of {@code body.split("\\s+")}.
   */
  static String[] fields(String body) {
    String[] f = new String[FIELDS + 4];
    int k = 0;
    int start = 0;
    boolean inRun = false;
    for (int i = 0; i < body.length(); i++) {
      boolean space = isSpace(body.charAt(i));
      if (space && !inRun) {
        f = room(f, k);
        f[k++] = body.substring(start, i);
      }
      if (space) {
        start = i + 1;
      }
      inRun = space;
    }
    f = room(f, k);
    f[k++] = body.substring(start);
    return k == f.length ? f : Arrays.copyOf(f, k);
  }

  /** {@code f}, or a copy twice as long when slot {@code k} is past its end. */
  private static String[] room(String[] f, int k) {
    return k < f.length ? f : Arrays.copyOf(f, 2 * f.length);
  }

  /** Space, or one of TAB, LF, VT, FF, CR (U+0009 to U+000D). */
  private static boolean isSpace(char c) {
    return c <= ' ' && (c == ' ' || c >= '\t' && c <= '\r');
  }

  private static Action action(String code, int status) {
    if (code.contains("DENIED")) {
      // 407 asks for proxy credentials and 511 for network login: challenges, not refusals.
      return status == 407 || status == 511 ? Action.AUTH_CHALLENGE : Action.BLOCKED;
    }
    if (code.contains("REDIRECT") && status >= 300 && status < 400) {
      return Action.REDIRECTED;
    }
    if (status == 500 || status == 502 || status == 503 || status == 504) {
      return Action.FAILED;
    }
    return Action.ALLOWED;
  }

  private static Instant time(String text) throws MalformedException {
    try {
      return SyslogHeader.epoch(text);
    } catch (NumberFormatException e) {
      throw new MalformedException("squid_bad_time");
    }
  }
}
