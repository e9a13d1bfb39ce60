package org.bellwatch.agent.parse.squid;

import java.net.InetAddress;
import java.time.Instant;
import org.bellwatch.agent.decode.MalformedException;
import org.bellwatch.agent.net.IpLiteral;
import org.bellwatch.agent.parse.Action;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.parse.FilterEvent;
import org.bellwatch.agent.parse.LogParser;

/**
 * Squid's native access.log format ({@code logformat squid}):
 * {@code time.ms elapsed client code/status bytes method URL user hierarchy/peer type}.
 *
 * <p>A {@code TCP_DENIED/403} is the proxy refusing content: a block. {@code TCP_DENIED/407} is the
 * proxy asking for credentials (RFC 9110 section 15.5.8), which browsers answer silently: never a block.
 */
public final class SquidNativeParser implements LogParser {
  public static final String VENDOR = "squid";
  private static final int FIELDS = 10;

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    String trimmed = line.strip();
    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
      return null;
    }
    String[] f = trimmed.split("\\s+");
    if (f.length < FIELDS) {
      throw new MalformedException("squid_too_few_fields");
    }
    Instant time = time(f[0]);
    InetAddress client = IpLiteral.parse(f[2]);
    if (client == null) {
      throw new MalformedException("squid_bad_client");
    }
    int slash = f[3].indexOf('/');
    if (slash < 0) {
      throw new MalformedException("squid_bad_result_code");
    }
    String code = f[3].substring(0, slash);
    int status;
    try {
      status = Integer.parseInt(f[3].substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new MalformedException("squid_bad_result_code");
    }
    String url = f[6];
    String user = f[7].equals("-") ? null : f[7];
    Action action = action(code, status);
    String method = action == Action.BLOCKED ? "proxy-deny" : null;
    String summary = f[3] + " " + f[5] + " " + url + (user == null ? "" : " user " + user);
    return new FilterEvent(time, client, user, url, Domains.hostOfUrl(url), null, action, VENDOR, method, summary);
  }

  private static Action action(String code, int status) {
    if (code.contains("DENIED")) {
      // 407 asks for proxy credentials and 511 for network login: challenges, not refusals.
      return status == 407 || status == 511 ? Action.AUTH_CHALLENGE : Action.BLOCKED;
    }
    return Action.ALLOWED;
  }

  private static Instant time(String text) throws MalformedException {
    int dot = text.indexOf('.');
    try {
      long secs = Long.parseLong(dot < 0 ? text : text.substring(0, dot));
      long millis = 0;
      if (dot >= 0) {
        String frac = (text.substring(dot + 1) + "000").substring(0, 3);
        millis = Long.parseLong(frac);
      }
      if (secs < 0) {
        throw new MalformedException("squid_bad_time");
      }
      return Instant.ofEpochSecond(secs, millis * 1_000_000);
    } catch (NumberFormatException e) {
      throw new MalformedException("squid_bad_time");
    }
  }
}
