package org.bellwatch.agent.identity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The site's own DNS domains (docs/design.md, "Site-local names"): those given in {@code
 * dns.local_domains} and those the site's DHCP hands its clients (option 15, the domain name, and
 * option 119, the search list, RFC 3397), from acknowledgements on the wire and DHCP server logs. A
 * name at or under one of them that does not exist is the site's own namespace answering (a printer
 * gone, WPAD and LDAP lookups), not a filter's policy.
 *
 * <p>A learned domain needs at least two labels: a DHCP server on the LAN (a rogue one too) cannot
 * make a top-level domain local. At most {@link #MAX_LEARNED} learned domains are kept, the least
 * recently handed out forgotten first (the real ones are handed out with every lease). Learned
 * domains live in memory: after a restart they are known again at the next acknowledgement.
 * Pipeline thread only.
 */
public final class SiteDomains {
  static final int MAX_LEARNED = 32;
  private final Set<String> configured;

  /** Known domains, for a gauge read on another thread. */
  private volatile int count;

  private final Map<String, Boolean> learned =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > MAX_LEARNED;
        }
      };

  /**
   * {@code configured}: domains from the configuration, already checked (see {@link #normalize}).
   */
  public SiteDomains(List<String> configured) {
    this.configured = Set.copyOf(configured.stream().map(SiteDomains::normalize).toList());
    this.count = this.configured.size();
  }

  /**
   * Learns a domain the site's DHCP handed out; false when it is not a domain name of two labels or
   * more (it is then ignored).
   */
  public boolean learn(String domain) {
    String d = normalize(domain);
    if (d == null || d.indexOf('.') < 0) {
      return false;
    }
    if (learned.put(d, Boolean.TRUE) == null) {
      count =
          configured.size()
              + (int) learned.keySet().stream().filter(x -> !configured.contains(x)).count();
    }
    return true;
  }

  /**
   * True when {@code name} (lower-case, no trailing dot) is one of the domains or lies under one.
   */
  public boolean covers(String name) {
    String n = name;
    while (true) {
      if (configured.contains(n) || learned.containsKey(n)) {
        return true;
      }
      int dot = n.indexOf('.');
      if (dot < 0) {
        return false;
      }
      n = n.substring(dot + 1);
    }
  }

  /** How many domains are known (configured and learned); any thread. */
  public int size() {
    return count;
  }

  /**
   * A domain name lower-case without its trailing dot, or null when it is not one: labels of
   * letters, digits, hyphens and underscores, 1 to 63 characters, 253 in all (RFC 1035 section
   * 2.3.4).
   */
  public static String normalize(String domain) {
    if (domain == null) {
      return null;
    }
    String d = domain.strip().toLowerCase(Locale.ROOT);
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    if (d.isEmpty() || d.length() > 253) {
      return null;
    }
    for (String label : d.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63) {
        return null;
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
          return null;
        }
      }
    }
    return d;
  }
}
