package org.bellwatch.agent.hub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Block events counted by school and domain: all of them and the instructional ones. The district's
 * questions (blocks by school, the sites that block instruction in the most schools) are sums over
 * a few tens of thousands of these rows instead of over every event of every school. Not
 * thread-safe: {@link DistrictCounts} guards it.
 */
public final class Tallies {
  /** One school's count for one domain ({@code ""}: events without a domain). */
  public record Row(String school, String domain, long blocks, long instructional) {}

  private final Map<String, Map<String, long[]>> bySchool = new TreeMap<>();

  /**
   * The school {@link #add} was last given and its row of {@link #bySchool}: a batch adds a
   * school's events one after another, and the tree's string comparisons were a visible part of it.
   */
  private String lastSchool;

  private Map<String, long[]> lastDomains;

  /**
   * By domain: how many schools have an instructional block of it, and its instructional blocks in
   * all schools, kept with every {@link #add}, so the district's "sites that block instruction in
   * the most schools" reads one row per domain, not one per school and domain.
   */
  private final Map<String, long[]> byDomain = new HashMap<>();

  /** The district's sums for one domain. */
  public record DomainSum(String domain, long schools, long instructional) {}

  /**
   * Adds to a school's counts for a domain (negative: events removed); a row that reaches zero is
   * dropped.
   */
  void add(String school, String domain, long blocks, long instructional) {
    Map<String, long[]> domains =
        school.equals(lastSchool)
            ? lastDomains
            : bySchool.computeIfAbsent(school, k -> new HashMap<>());
    lastSchool = school;
    lastDomains = domains;
    long[] n = domains.computeIfAbsent(domain, k -> new long[2]);
    boolean had = n[1] > 0;
    n[0] += blocks;
    n[1] += instructional;
    sumByDomain(domain, (n[1] > 0 ? 1 : 0) - (had ? 1 : 0), instructional);
    if (n[0] == 0 && n[1] == 0) {
      domains.remove(domain);
      if (domains.isEmpty()) {
        bySchool.remove(school);
        lastSchool = null;
      }
    }
  }

  private void sumByDomain(String domain, int schools, long instructional) {
    if (schools == 0 && instructional == 0) {
      return;
    }
    long[] d = byDomain.computeIfAbsent(domain, k -> new long[2]);
    d[0] += schools;
    d[1] += instructional;
    if (d[0] == 0 && d[1] == 0) {
      byDomain.remove(domain);
    }
  }

  /** Every domain with an instructional block in some school: in how many schools, how many. */
  List<DomainSum> domainSums() {
    List<DomainSum> out = new ArrayList<>(byDomain.size());
    byDomain.forEach((domain, d) -> out.add(new DomainSum(domain, d[0], d[1])));
    return out;
  }

  /** A copy of a school's counts for a domain: blocks, instructional blocks (zeros when none). */
  long[] get(String school, String domain) {
    long[] n = bySchool.getOrDefault(school, Map.of()).get(domain);
    return n == null ? new long[2] : n.clone();
  }

  /** The schools with at least one counted event, in id order. */
  Set<String> schools() {
    return bySchool.keySet();
  }

  /** Every row of one school ({@code null}: of every school). */
  List<Row> rows(String school) {
    List<Row> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, long[]>> s : bySchool.entrySet()) {
      if (school == null || school.equals(s.getKey())) {
        s.getValue().forEach((domain, n) -> out.add(new Row(s.getKey(), domain, n[0], n[1])));
      }
    }
    return out;
  }

  /** Each school's blocks and instructional blocks, in id order. */
  Map<String, long[]> totals() {
    Map<String, long[]> out = new TreeMap<>();
    bySchool.forEach(
        (school, domains) -> {
          long[] t = new long[2];
          domains
              .values()
              .forEach(
                  n -> {
                    t[0] += n[0];
                    t[1] += n[1];
                  });
          out.put(school, t);
        });
    return out;
  }
}
