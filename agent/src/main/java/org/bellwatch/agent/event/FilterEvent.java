package org.bellwatch.agent.event;

import java.net.InetAddress;
import java.time.Instant;
import org.bellwatch.agent.parse.vendors.Vendor;

/**
 * One normalized web-filter log record.
 *
 * @param time when the filter logged the request, UTC
 * @param clientIp the requesting client on the school network, or null when the vendor logs only a
 *     public/NAT address (Zscaler {@code cip}) or no address at all
 * @param user authenticated user as logged, or null (placeholders become null through {@link
 *     Users})
 * @param url the URL or CONNECT target as logged, or null
 * @param domain the request's host, lower-case, no trailing dot, no port, or null
 * @param category the filter's category when the vendor gives one, else null
 * @param action what the filter did
 * @param vendor the {@link Vendor} id that parsed it
 * @param method how the block happened, one of {@link BlockMethod}; null unless blocked or warned
 * @param rule the rule, policy or profile name that decided, as logged, or null
 * @param summary a short quote of the record for the evidence chain
 * @param raw the original line, cut to {@link #RAW_MAX_CHARS} characters, kept as evidence
 * @param redirect where a {@link Action#REDIRECTED} request was sent (the {@code Location}), when
 *     logged; else null
 */
public record FilterEvent(
    Instant time,
    InetAddress clientIp,
    String user,
    String url,
    String domain,
    String category,
    Action action,
    String vendor,
    String method,
    String rule,
    String summary,
    String raw,
    String redirect)
    implements ParsedRecord {

  /**
   * Evidence keeps the start of the line; vendor lines beyond this are long URLs or user agents.
   */
  public static final int RAW_MAX_CHARS = 2048;

  public FilterEvent {
    raw = bound(raw);
  }

  /** A record that is no redirect, or one whose target was not logged. */
  public FilterEvent(
      Instant time,
      InetAddress clientIp,
      String user,
      String url,
      String domain,
      String category,
      Action action,
      String vendor,
      String method,
      String rule,
      String summary,
      String raw) {
    this(
        time, clientIp, user, url, domain, category, action, vendor, method, rule, summary, raw,
        null);
  }

  /** The same record judged: {@code action} and {@code method} replaced. */
  public FilterEvent judged(Action newAction, String newMethod) {
    return new FilterEvent(
        time, clientIp, user, url, domain, category, newAction, vendor, newMethod, rule, summary,
        raw, redirect);
  }

  /** {@code raw} cut to {@link #RAW_MAX_CHARS}, or null. */
  public static String bound(String raw) {
    return raw == null || raw.length() <= RAW_MAX_CHARS ? raw : raw.substring(0, RAW_MAX_CHARS);
  }
}
