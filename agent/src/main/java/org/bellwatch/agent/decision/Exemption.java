package org.bellwatch.agent.decision;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bellwatch.agent.net.Cidr;

/**
 * What IT decided to let through: a site (and its subdomains) or a narrower URL prefix, for some
 * source ranges or everyone, in some time windows or always, until a date or open-ended. Built only
 * from valid values: the domain becomes its A-label form, the URL prefix and the ranges their
 * canonical text (host bits cleared), duplicates dropped; anything else is an {@link
 * IllegalArgumentException} naming the field. The reason and reference stay as given and are made
 * safe where they are written ({@link Text}).
 *
 * @param domain the site, e.g. {@code youtube.com} or an internationalized name
 * @param urlPrefix a narrower absolute http(s) URL under the site, or null for the whole site
 * @param sourceCidrs address blocks the exemption is for; empty for every client
 * @param windows when it holds; empty for always
 * @param until last day it holds, or null for no end date
 * @param reason why IT decided so (required)
 * @param reference where the decision is recorded, e.g. "bellwatch review youtube.com 2026-09-15"
 */
public record Exemption(
    String domain,
    String urlPrefix,
    List<String> sourceCidrs,
    List<TimeWindow> windows,
    LocalDate until,
    String reason,
    String reference) {
  static final int MAX_RANGES = 1024;
  static final int MAX_WINDOWS = 1024;
  static final int MAX_REASON = 4000;
  static final int MAX_REFERENCE = 200;

  public Exemption {
    domain = HostName.ascii("domain", domain);
    urlPrefix = urlPrefix == null ? null : UrlPrefix.normalize(urlPrefix, domain);
    sourceCidrs = ranges(sourceCidrs);
    windows = windows(windows);
    reason = required("reason", reason, MAX_REASON);
    reference = required("reference", reference, MAX_REFERENCE);
  }

  private static List<String> ranges(List<String> cidrs) {
    if (cidrs == null) {
      return List.of();
    }
    if (cidrs.size() > MAX_RANGES) {
      throw new IllegalArgumentException(
          "at most " + MAX_RANGES + " source ranges, got " + cidrs.size());
    }
    Set<String> out = new LinkedHashSet<>();
    for (String text : cidrs) {
      Cidr cidr = text == null ? null : Cidr.parse(text);
      if (cidr == null || !text.strip().equals(text)) {
        throw new IllegalArgumentException(
            "source range "
                + (text == null ? "null" : Text.shown(text))
                + " is not an address block such as 10.1.2.0/24 or 2001:db8::/48");
      }
      out.add(cidr.toString());
    }
    return List.copyOf(out);
  }

  private static List<TimeWindow> windows(List<TimeWindow> windows) {
    if (windows == null) {
      return List.of();
    }
    if (windows.size() > MAX_WINDOWS) {
      throw new IllegalArgumentException(
          "at most " + MAX_WINDOWS + " time windows, got " + windows.size());
    }
    List<TimeWindow> out = new ArrayList<>(new LinkedHashSet<>(windows));
    if (out.contains(null)) {
      throw new IllegalArgumentException("time windows must not contain null");
    }
    return List.copyOf(out);
  }

  private static String required(String what, String text, int max) {
    if (text == null || Text.oneLine(text).isEmpty()) {
      throw new IllegalArgumentException(what + " is required");
    }
    if (text.length() > max) {
      throw new IllegalArgumentException(what + " is longer than " + max + " characters");
    }
    return text;
  }
}
