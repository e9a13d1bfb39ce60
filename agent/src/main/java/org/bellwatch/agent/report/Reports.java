package org.bellwatch.agent.report;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bellwatch.agent.store.EventStore;

/**
 * The read-only reports coordinators and IT look at together, computed over the {@link EventIndex}.
 * Every report takes a {@link ReportFilter}; lists are paged. Days and weekdays are the school's.
 */
public final class Reports {
  private final EventIndex idx;
  private final ZoneId zone;

  public Reports(EventIndex idx, ZoneId zone) {
    this.idx = idx;
    this.zone = zone;
  }

  /** One page of a ranked list, with the total number of rows before paging. */
  public record Page<T>(List<T> items, int total, int offset, int limit) {
    static <T> Page<T> of(List<T> all, int offset, int limit) {
      int from = Math.min(offset, all.size());
      int to = Math.min(all.size(), from + limit);
      return new Page<>(List.copyOf(all.subList(from, to)), all.size(), offset, limit);
    }
  }

  /**
   * A blocked domain: how many sections, users (as the filter logs name them), devices and attempts it
   * hit. Blocks seen only in DNS have no user, so devices count the people behind them.
   */
  public record DomainRow(String domain, int sections, int users, int devices, long attempts,
      long instructionalAttempts, int rooms, Instant firstSeen, Instant lastSeen) {
  }

  /** Dimensions a breakdown can group by. */
  public enum Dimension {
    ROOM, TEACHER, SECTION, CATEGORY, DOMAIN, PERIOD, METHOD
  }

  /** One group of a breakdown. */
  public record BreakdownRow(String value, long attempts, long instructionalAttempts, int domains, int users) {
  }

  /** Attempts by bell period (rows) and school weekday (columns). */
  public record Heatmap(List<String> periods, List<DayOfWeek> weekdays, long[][] attempts) {
  }

  /** Totals of one time range. */
  public record Totals(Instant from, Instant to, long attempts, long instructionalAttempts, int domains,
      int sections, int users) {
  }

  /** One school day's attempts. */
  public record Day(LocalDate day, long attempts, long instructionalAttempts) {
  }

  /** This range against the one of equal length just before it. */
  public record Trend(Totals current, Totals previous, List<Day> days) {
  }

  /** A section a domain hit. */
  public record SectionHit(String section, String course, String teacher, String room, long attempts, int users) {
  }

  /** Everything about one domain in the filtered range (the attempts themselves come from the store). */
  public record DomainDetail(String domain, Totals totals, List<Day> days, List<SectionHit> sections,
      List<BreakdownRow> rooms) {
  }

  /** Everything about one section: its domains. */
  public record SectionDetail(String section, String course, String teacher, String room, Totals totals,
      List<BreakdownRow> domains) {
  }

  /** The store addresses of the block events matching {@code f}, newest first, one page of them. */
  public Page<EventStore.EventRef> blocks(ReportFilter f, int offset, int limit) {
    return idx.read(() -> {
      RowMatcher match = f.compile(idx);
      List<EventStore.EventRef> page = new ArrayList<>();
      int total = 0;
      if (!match.impossible()) {
        int[] range = idx.range(f.from(), f.to());
        for (int i = range[1] - 1; i >= range[0]; i--) {
          if (match.test(i)) {
            if (total >= offset && page.size() < limit) {
              page.add(new EventStore.EventRef(idx.time[i], idx.key[i]));
            }
            total++;
          }
        }
      }
      return new Page<>(List.copyOf(page), total, offset, limit);
    });
  }

  /** Domains ranked by distinct sections hit, then distinct users, then attempts. */
  public Page<DomainRow> topDomains(ReportFilter f, int offset, int limit) {
    return idx.read(() -> {
      GroupStats g = scan(f, idx.domain, idx.domains.size());
      List<DomainRow> rows = new ArrayList<>();
      for (int d = 0; d < idx.domains.size(); d++) {
        if (g.seen(d)) {
          rows.add(new DomainRow(idx.domains.value(d), g.distinct(GroupStats.SECTIONS, d),
              g.distinct(GroupStats.USERS, d), g.distinct(GroupStats.DEVICES, d), g.attempts[d], g.instructional[d],
              g.distinct(GroupStats.ROOMS, d), instant(g.first[d]), instant(g.last[d])));
        }
      }
      rows.sort(Comparator.comparingInt(DomainRow::sections).reversed()
          .thenComparing(Comparator.comparingInt(DomainRow::users).reversed())
          .thenComparing(Comparator.comparingLong(DomainRow::attempts).reversed())
          .thenComparing(DomainRow::domain));
      return Page.of(rows, offset, limit);
    });
  }

  /** Attempts by period and weekday; periods in bell order when they are numbers, else by name. */
  public Heatmap heatmap(ReportFilter f) {
    return idx.read(() -> {
      RowMatcher match = f.compile(idx);
      long[][] byPeriod = new long[idx.periods.size()][7];
      if (!match.impossible()) {
        int[] range = idx.range(f.from(), f.to());
        LocalDays days = new LocalDays(zone);
        for (int i = range[0]; i < range[1]; i++) {
          if (idx.period[i] != Dictionary.NULL && match.test(i)) {
            byPeriod[idx.period[i]][days.dayOf(idx.time[i]).getDayOfWeek().getValue() - 1]++;
          }
        }
      }
      Map<String, long[]> named = new TreeMap<>(Reports::periodOrder);
      for (int p = 1; p < byPeriod.length; p++) {
        if (Arrays.stream(byPeriod[p]).sum() > 0) {
          named.put(idx.periods.value(p), byPeriod[p]);
        }
      }
      List<DayOfWeek> weekdays = new ArrayList<>(List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
          DayOfWeek.THURSDAY, DayOfWeek.FRIDAY));
      for (DayOfWeek weekend : List.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY)) {
        if (named.values().stream().anyMatch(c -> c[weekend.getValue() - 1] > 0)) {
          weekdays.add(weekend);
        }
      }
      long[][] grid = new long[named.size()][weekdays.size()];
      int r = 0;
      for (long[] counts : named.values()) {
        for (int c = 0; c < weekdays.size(); c++) {
          grid[r][c] = counts[weekdays.get(c).getValue() - 1];
        }
        r++;
      }
      return new Heatmap(List.copyOf(named.keySet()), weekdays, grid);
    });
  }

  /** Attempts grouped by one dimension, most attempts first. */
  public Page<BreakdownRow> breakdown(ReportFilter f, Dimension dim, int offset, int limit) {
    return idx.read(() -> Page.of(group(f, dim), offset, limit));
  }

  /** The filtered range against the previous range of the same length. Needs both ends of the range. */
  public Trend trend(ReportFilter f) {
    Duration length = Duration.between(f.from(), f.to());
    ReportFilter before = f.withRange(f.from().minus(length), f.from());
    return idx.read(() -> new Trend(totals(f), totals(before), days(f)));
  }

  public DomainDetail domain(String domain, ReportFilter f) {
    ReportFilter d = f.withDomain(domain);
    return idx.read(() -> {
      GroupStats g = scan(d, idx.section, idx.sections.size());
      int[] example = exampleRows(d, idx.section, idx.sections.size());
      List<SectionHit> sections = new ArrayList<>();
      for (int s = 1; s < idx.sections.size(); s++) {
        if (g.seen(s)) {
          int row = example[s];
          sections.add(new SectionHit(idx.sections.value(s), idx.courses.value(idx.course[row]),
              idx.teachers.value(idx.teacher[row]), idx.rooms.value(idx.room[row]), g.attempts[s],
              g.distinct(GroupStats.USERS, s)));
        }
      }
      sections.sort(Comparator.comparingLong(SectionHit::attempts).reversed().thenComparing(SectionHit::section));
      return new DomainDetail(domain, totals(d), days(d), sections, group(d, Dimension.ROOM));
    });
  }

  public SectionDetail section(String section, ReportFilter f) {
    ReportFilter s = f.withSection(section);
    return idx.read(() -> {
      RowMatcher match = s.compile(idx);
      int row = -1;
      if (!match.impossible()) {
        int[] range = idx.range(s.from(), s.to());
        for (int i = range[0]; i < range[1] && row < 0; i++) {
          if (match.test(i)) {
            row = i;
          }
        }
      }
      return new SectionDetail(section, row < 0 ? null : idx.courses.value(idx.course[row]),
          row < 0 ? null : idx.teachers.value(idx.teacher[row]), row < 0 ? null : idx.rooms.value(idx.room[row]),
          totals(s), group(s, Dimension.DOMAIN));
    });
  }

  /** Counts the matching rows of {@code f} per value of {@code groupColumn}. Read lock held. */
  private GroupStats scan(ReportFilter f, int[] groupColumn, int groups) {
    GroupStats g = new GroupStats(idx, groups);
    RowMatcher match = f.compile(idx);
    if (match.impossible()) {
      return g;
    }
    int[] range = idx.range(f.from(), f.to());
    for (int i = range[0]; i < range[1]; i++) {
      if (match.test(i)) {
        g.add(groupColumn[i], i);
      }
    }
    return g;
  }

  /** For each group, one matching row (to read attributes that are the same for the whole group). */
  private int[] exampleRows(ReportFilter f, int[] groupColumn, int groups) {
    int[] rows = new int[groups];
    Arrays.fill(rows, -1);
    RowMatcher match = f.compile(idx);
    if (!match.impossible()) {
      int[] range = idx.range(f.from(), f.to());
      for (int i = range[0]; i < range[1]; i++) {
        if (rows[groupColumn[i]] < 0 && match.test(i)) {
          rows[groupColumn[i]] = i;
        }
      }
    }
    return rows;
  }

  private List<BreakdownRow> group(ReportFilter f, Dimension dim) {
    Dictionary dict = dictionary(dim);
    GroupStats g = scan(f, column(dim), dict.size());
    List<BreakdownRow> rows = new ArrayList<>();
    for (int v = 0; v < dict.size(); v++) {
      if (g.seen(v)) {
        rows.add(new BreakdownRow(dict.value(v), g.attempts[v], g.instructional[v],
            g.distinct(GroupStats.DOMAINS, v), g.distinct(GroupStats.USERS, v)));
      }
    }
    rows.sort(Comparator.comparingLong(BreakdownRow::attempts).reversed()
        .thenComparing(BreakdownRow::value, Comparator.nullsLast(Comparator.naturalOrder())));
    return rows;
  }

  private Totals totals(ReportFilter f) {
    GroupStats g = new GroupStats(idx, 1);
    RowMatcher match = f.compile(idx);
    if (!match.impossible()) {
      int[] range = idx.range(f.from(), f.to());
      for (int i = range[0]; i < range[1]; i++) {
        if (match.test(i)) {
          g.add(0, i);
        }
      }
    }
    return new Totals(f.from(), f.to(), g.attempts[0], g.instructional[0], g.distinct(GroupStats.DOMAINS, 0),
        g.distinct(GroupStats.SECTIONS, 0), g.distinct(GroupStats.USERS, 0));
  }

  private List<Day> days(ReportFilter f) {
    RowMatcher match = f.compile(idx);
    Map<LocalDate, long[]> byDay = new TreeMap<>();
    if (!match.impossible()) {
      int[] range = idx.range(f.from(), f.to());
      LocalDays days = new LocalDays(zone);
      for (int i = range[0]; i < range[1]; i++) {
        if (match.test(i)) {
          long[] c = byDay.computeIfAbsent(days.dayOf(idx.time[i]), k -> new long[2]);
          c[0]++;
          if (idx.instructional[i]) {
            c[1]++;
          }
        }
      }
    }
    List<Day> out = new ArrayList<>();
    byDay.forEach((d, c) -> out.add(new Day(d, c[0], c[1])));
    return out;
  }

  private int[] column(Dimension dim) {
    return switch (dim) {
      case ROOM -> idx.room;
      case TEACHER -> idx.teacher;
      case SECTION -> idx.section;
      case CATEGORY -> idx.category;
      case DOMAIN -> idx.domain;
      case PERIOD -> idx.period;
      case METHOD -> idx.method;
    };
  }

  private Dictionary dictionary(Dimension dim) {
    return switch (dim) {
      case ROOM -> idx.rooms;
      case TEACHER -> idx.teachers;
      case SECTION -> idx.sections;
      case CATEGORY -> idx.categories;
      case DOMAIN -> idx.domains;
      case PERIOD -> idx.periods;
      case METHOD -> idx.methods;
    };
  }

  /** Numbered periods in numeric order first ("2" before "10"), then named blocks by name. */
  static int periodOrder(String a, String b) {
    boolean na = a.matches("\\d+");
    boolean nb = b.matches("\\d+");
    if (na && nb) {
      return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
    }
    if (na != nb) {
      return na ? -1 : 1;
    }
    return a.compareTo(b);
  }

  static Instant instant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }
}
