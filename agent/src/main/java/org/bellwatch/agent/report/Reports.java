package org.bellwatch.agent.report;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntPredicate;
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
      IntPredicate match = f.compile(idx);
      List<EventStore.EventRef> page = new ArrayList<>();
      int[] total = {0};
      idx.rowsNewestFirst(f.from(), f.to(), i -> {
        if (match.test(i)) {
          if (total[0] >= offset && page.size() < limit) {
            page.add(new EventStore.EventRef(idx.time[i], idx.key[i]));
          }
          total[0]++;
        }
        return true;
      });
      return new Page<>(List.copyOf(page), total[0], offset, limit);
    });
  }

  /** Domains ranked by distinct sections hit, then distinct users, then attempts. */
  public Page<DomainRow> topDomains(ReportFilter f, int offset, int limit) {
    return idx.read(() -> {
      IntPredicate match = f.compile(idx);
      Map<Integer, Acc> byDomain = new HashMap<>();
      idx.rows(f.from(), f.to(), i -> {
        if (match.test(i)) {
          byDomain.computeIfAbsent(idx.domain[i], k -> new Acc()).add(i);
        }
      });
      List<DomainRow> rows = new ArrayList<>();
      byDomain.forEach((d, a) -> rows.add(new DomainRow(idx.domains.value(d), a.sections.size(), a.users.size(),
          a.devices.size(), a.attempts, a.instructional, a.rooms.size(), instant(a.first), instant(a.last))));
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
      IntPredicate match = f.compile(idx);
      Map<String, long[]> byPeriod = new TreeMap<>(Reports::periodOrder);
      idx.rows(f.from(), f.to(), i -> {
        if (match.test(i) && idx.period[i] != Dictionary.NULL) {
          DayOfWeek dow = instant(idx.time[i]).atZone(zone).getDayOfWeek();
          byPeriod.computeIfAbsent(idx.periods.value(idx.period[i]), k -> new long[7])[dow.getValue() - 1]++;
        }
      });
      List<DayOfWeek> days = new ArrayList<>(List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
          DayOfWeek.THURSDAY, DayOfWeek.FRIDAY));
      for (DayOfWeek weekend : List.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY)) {
        if (byPeriod.values().stream().anyMatch(c -> c[weekend.getValue() - 1] > 0)) {
          days.add(weekend);
        }
      }
      long[][] grid = new long[byPeriod.size()][days.size()];
      int r = 0;
      for (long[] counts : byPeriod.values()) {
        for (int c = 0; c < days.size(); c++) {
          grid[r][c] = counts[days.get(c).getValue() - 1];
        }
        r++;
      }
      return new Heatmap(List.copyOf(byPeriod.keySet()), days, grid);
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
      IntPredicate match = d.compile(idx);
      Map<Integer, Acc> bySection = new HashMap<>();
      Map<Integer, Integer> rowOfSection = new HashMap<>();
      idx.rows(d.from(), d.to(), i -> {
        if (match.test(i) && idx.section[i] != Dictionary.NULL) {
          bySection.computeIfAbsent(idx.section[i], k -> new Acc()).add(i);
          rowOfSection.putIfAbsent(idx.section[i], i);
        }
      });
      List<SectionHit> sections = new ArrayList<>();
      bySection.forEach((s, a) -> {
        int row = rowOfSection.get(s);
        sections.add(new SectionHit(idx.sections.value(s), idx.courses.value(idx.course[row]),
            idx.teachers.value(idx.teacher[row]), idx.rooms.value(idx.room[row]), a.attempts, a.users.size()));
      });
      sections.sort(Comparator.comparingLong(SectionHit::attempts).reversed().thenComparing(SectionHit::section));
      return new DomainDetail(domain, totals(d), days(d), sections, group(d, Dimension.ROOM));
    });
  }

  public SectionDetail section(String section, ReportFilter f) {
    ReportFilter s = f.withSection(section);
    return idx.read(() -> {
      IntPredicate match = s.compile(idx);
      int[] any = {-1};
      idx.rows(s.from(), s.to(), i -> {
        if (any[0] < 0 && match.test(i)) {
          any[0] = i;
        }
      });
      int row = any[0];
      return new SectionDetail(section, row < 0 ? null : idx.courses.value(idx.course[row]),
          row < 0 ? null : idx.teachers.value(idx.teacher[row]), row < 0 ? null : idx.rooms.value(idx.room[row]),
          totals(s), group(s, Dimension.DOMAIN));
    });
  }

  private List<BreakdownRow> group(ReportFilter f, Dimension dim) {
    IntPredicate match = f.compile(idx);
    int[] column = column(dim);
    Dictionary dict = dictionary(dim);
    Map<Integer, Acc> groups = new HashMap<>();
    idx.rows(f.from(), f.to(), i -> {
      if (match.test(i)) {
        groups.computeIfAbsent(column[i], k -> new Acc()).add(i);
      }
    });
    List<BreakdownRow> rows = new ArrayList<>();
    groups.forEach((v, a) -> rows.add(new BreakdownRow(dict.value(v), a.attempts, a.instructional, a.domains.size(),
        a.users.size())));
    rows.sort(Comparator.comparingLong(BreakdownRow::attempts).reversed()
        .thenComparing(BreakdownRow::value, Comparator.nullsLast(Comparator.naturalOrder())));
    return rows;
  }

  private Totals totals(ReportFilter f) {
    IntPredicate match = f.compile(idx);
    Acc a = new Acc();
    idx.rows(f.from(), f.to(), i -> {
      if (match.test(i)) {
        a.add(i);
      }
    });
    return new Totals(f.from(), f.to(), a.attempts, a.instructional, a.domains.size(), a.sections.size(),
        a.users.size());
  }

  private List<Day> days(ReportFilter f) {
    IntPredicate match = f.compile(idx);
    Map<LocalDate, long[]> byDay = new TreeMap<>();
    idx.rows(f.from(), f.to(), i -> {
      if (match.test(i)) {
        long[] c = byDay.computeIfAbsent(instant(idx.time[i]).atZone(zone).toLocalDate(), k -> new long[2]);
        c[0]++;
        if (idx.instructional[i]) {
          c[1]++;
        }
      }
    });
    List<Day> days = new ArrayList<>();
    byDay.forEach((d, c) -> days.add(new Day(d, c[0], c[1])));
    return days;
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

  /** Running counts of one group. */
  private final class Acc {
    long attempts;
    long instructional;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    final Set<Integer> sections = new HashSet<>();
    final Set<Integer> users = new HashSet<>();
    final Set<Integer> rooms = new HashSet<>();
    final Set<Integer> domains = new HashSet<>();
    final Set<Integer> devices = new HashSet<>();

    void add(int i) {
      attempts++;
      if (idx.instructional[i]) {
        instructional++;
      }
      first = Math.min(first, idx.time[i]);
      last = Math.max(last, idx.time[i]);
      if (idx.section[i] != Dictionary.NULL) {
        sections.add(idx.section[i]);
      }
      if (idx.user[i] != Dictionary.NULL) {
        users.add(idx.user[i]);
      }
      if (idx.room[i] != Dictionary.NULL) {
        rooms.add(idx.room[i]);
      }
      domains.add(idx.domain[i]);
      devices.add(idx.device[i]);
    }
  }
}
