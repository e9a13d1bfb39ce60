package org.bellwatch.agent.decision;

import java.net.URI;
import java.time.DayOfWeek;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Squid ACL lines (squid.conf: {@code acl}, {@code http_access}). The rule needs every one of its
 * ACLs to match (AND), while lines of one ACL name add values (OR): so one {@code http_access
 * allow} with the site, the source ranges and the time windows lets the site through only for those
 * clients in those periods. Squid applies the first {@code http_access} rule that matches, hence
 * the rule must come before the deny rule that blocks the site.
 */
final class SquidSnippet {
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  /**
   * Squid's day letters (squid.conf {@code acl ... time}): S M T W H F A for Sunday to Saturday.
   */
  private static final String DAY_LETTERS = "MTWHFAS";

  private SquidSnippet() {}

  static Snippet of(Exemption e) {
    String acl = "bellwatch_" + Names.id(e.domain());
    StringBuilder out = new StringBuilder(Header.of(e, "# "));
    out.append(
        Text.comment(
            "# ",
            "Put these lines above the http_access deny rule that blocks the site: Squid"
                + " applies the first http_access rule that matches."
                + (e.windows().isEmpty() ? "" : " Times are the proxy's local clock.")));
    List<String> rule = new ArrayList<>();
    for (String cidr : e.sourceCidrs()) {
      out.append("acl ").append(acl).append("_src src ").append(cidr).append('\n');
    }
    if (!e.sourceCidrs().isEmpty()) {
      rule.add(acl + "_src");
    }
    for (TimeWindow w : e.windows()) {
      out.append("acl ")
          .append(acl)
          .append("_time time ")
          .append(days(w))
          .append(' ')
          .append(HH_MM.format(w.start()))
          .append('-')
          .append(HH_MM.format(w.end()))
          .append('\n');
    }
    if (!e.windows().isEmpty()) {
      rule.add(acl + "_time");
    }
    if (e.urlPrefix() == null) {
      // A leading dot matches the domain and every subdomain (squid.conf, acl dstdomain).
      out.append("acl ").append(acl).append("_site dstdomain .").append(e.domain()).append('\n');
      rule.add(acl + "_site");
    } else {
      URI url = URI.create(e.urlPrefix());
      if (url.getScheme().equals("https")) {
        out.append(
            Text.comment(
                "# ",
                "Squid sees the path of an https URL only where it decrypts (ssl_bump);"
                    + " otherwise it sees CONNECT "
                    + url.getHost()
                    + ":"
                    + (url.getPort() < 0 ? 443 : url.getPort())
                    + ", which this rule does not let through."));
      }
      out.append("acl ")
          .append(acl)
          .append("_url url_regex ^")
          .append(regex(e.urlPrefix()))
          .append('\n');
      rule.add(acl + "_url");
    }
    out.append("http_access allow ").append(String.join(" ", rule)).append('\n');
    return new Snippet("squid", "Squid: allow rule", out.toString(), "squid -k parse");
  }

  private static String days(TimeWindow w) {
    StringBuilder letters = new StringBuilder();
    for (DayOfWeek d : w.days()) {
      letters.append(DAY_LETTERS.charAt(d.ordinal()));
    }
    return letters.toString();
  }

  /** The URL as a POSIX extended regular expression (Squid's url_regex) matching it literally. */
  static String regex(String url) {
    StringBuilder out = new StringBuilder();
    for (char c : url.toCharArray()) {
      if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
