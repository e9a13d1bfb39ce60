package org.bellwatch.agent.report;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bellwatch.agent.store.EventStore;

/**
 * The read-only reports coordinators and IT look at together, computed over the {@link EventIndex}.
 * Every report takes a {@link ReportFilter}; lists are paged. Days and weekdays are the school's.
 *
 * <p>Design note. Every report is one pass over the index rows of its time range (found by binary
 * search on the time column), testing each row with a {@link RowMatcher} (integer compares on
 * dictionary ids) and feeding an accumulator ({@code Acc}) that computes any of: one or two
 * groupings ({@link GroupStats}: counts and distinct sections, users, rooms, domains and devices as
 * bitsets), totals, per-day counts, the period-by-weekday grid. A range of {@link #parallelRows}
 * rows or more is cut into one slice per core; slices fill their own accumulators and are merged in
 * row order, so results do not depend on the number of cores. The whole report runs under the
 * index's read lock: it sees one consistent index while the pipeline waits to add rows. It stays
 * one class because every report is a configuration of that one pass and accumulator; the parts
 * with a job of their own ({@link RowMatcher}, {@link GroupStats}, {@link EventIndex}) are their
 * own classes.
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
   * A blocked domain: how many sections, users (as the filter logs name them), devices and attempts
   * it hit. Blocks seen only in DNS have no user, so devices count the people behind them.
   */
  public record DomainRow(
      String domain,
      int sections,
      int users,
      int devices,
      long attempts,
      long instructionalAttempts,
      int rooms,
      Instant firstSeen,
      Instant lastSeen) {}

  /** Dimensions a breakdown can group by. */
  public enum Dimension {
    ROOM,
    TEACHER,
    SECTION,
    CATEGORY,
    DOMAIN,
    PERIOD,
    METHOD
  }

  /** One group of a breakdown. */
  public record BreakdownRow(
      String value, long attempts, long instructionalAttempts, int domains, int users) {}

  /** Attempts by bell period (rows) and school weekday (columns). */
  public record Heatmap(List<String> periods, List<DayOfWeek> weekdays, long[][] attempts) {}

  /** Totals of one time range. */
  public record Totals(
      Instant from,
      Instant to,
      long attempts,
      long instructionalAttempts,
      int domains,
      int sections,
      int users) {}

  /** One school day's attempts. */
  public record Day(LocalDate day, long attempts, long instructionalAttempts) {}

  /** This range against the one of equal length just before it. */
  public record Trend(Totals current, Totals previous, List<Day> days) {}

  /** A section a domain hit. */
  public record SectionHit(
      String section, String course, String teacher, String room, long attempts, int users) {}

  /**
   * Everything about one domain in the filtered range (the attempts themselves come from the
   * store).
   */
  public record DomainDetail(
      String domain,
      Totals totals,
      List<Day> days,
      List<SectionHit> sections,
      List<BreakdownRow> rooms) {}

  /** Everything about one section: its domains. */
  public record SectionDetail(
      String section,
      String course,
      String teacher,
      String room,
      Totals totals,
      List<BreakdownRow> domains) {}

  /** The times of the first and the last block matching a filter; both null when none does. */
  public record Span(Instant first, Instant last) {}

  /**
   * The first and last block matching {@code f}: searched from each end of its range, so a filter
   * that matches recent blocks answers after a few rows.
   */
  public Span span(ReportFilter f) {
    return idx.read(
        () -> {
          RowMatcher match = f.compile(idx);
          if (match.impossible()) {
            return new Span(null, null);
          }
          int[] range = idx.range(f.from(), f.to());
          int first = range[0];
          while (first < range[1] && !match.test(first)) {
            first++;
          }
          if (first == range[1]) {
            return new Span(null, null);
          }
          int last = range[1] - 1;
          while (!match.test(last)) {
            last--;
          }
          return new Span(instant(idx.time[first]), instant(idx.time[last]));
        });
  }

  /** The store addresses of the block events matching {@code f}, newest first, one page of them. */
  public Page<EventStore.EventRef> blocks(ReportFilter f, int offset, int limit) {
    return idx.read(
        () -> {
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
    return idx.read(
        () -> {
          GroupStats g = scan(f, idx.domain, idx.domains.size());
          List<DomainRow> rows = new ArrayList<>();
          for (int d = 0; d < idx.domains.size(); d++) {
            if (g.seen(d)) {
              rows.add(
                  new DomainRow(
                      idx.domains.value(d),
                      g.distinct(GroupStats.SECTIONS, d),
                      g.distinct(GroupStats.USERS, d),
                      g.distinct(GroupStats.DEVICES, d),
                      g.attempts[d],
                      g.instructional[d],
                      g.distinct(GroupStats.ROOMS, d),
                      instant(g.first[d]),
                      instant(g.last[d])));
            }
          }
          rows.sort(
              Comparator.comparingInt(DomainRow::sections)
                  .reversed()
                  .thenComparing(Comparator.comparingInt(DomainRow::users).reversed())
                  .thenComparing(Comparator.comparingLong(DomainRow::attempts).reversed())
                  .thenComparing(DomainRow::domain));
          return Page.of(rows, offset, limit);
        });
  }

  /** Attempts by period and weekday; periods in bell order when they are numbers, else by name. */
  public Heatmap heatmap(ReportFilter f) {
    return idx.read(
        () -> {
          long[][] byPeriod = pass(f, new Acc().heat(idx.periods.size())).heat;
          Map<String, long[]> named = new TreeMap<>(Reports::periodOrder);
          for (int p = 1; p < byPeriod.length; p++) {
            if (Arrays.stream(byPeriod[p]).sum() > 0) {
              named.put(idx.periods.value(p), byPeriod[p]);
            }
          }
          List<DayOfWeek> weekdays =
              new ArrayList<>(
                  List.of(
                      DayOfWeek.MONDAY,
                      DayOfWeek.TUESDAY,
                      DayOfWeek.WEDNESDAY,
                      DayOfWeek.THURSDAY,
                      DayOfWeek.FRIDAY));
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

  /**
   * The filtered range against the previous range of the same length. Needs both ends of the range.
   */
  public Trend trend(ReportFilter f) {
    Duration length = Duration.between(f.from(), f.to());
    ReportFilter before = f.withRange(f.from().minus(length), f.from());
    return idx.read(
        () -> {
          Acc now = pass(f, new Acc().totals().days());
          return new Trend(now.totals(f), totals(before), now.days.list());
        });
  }

  public DomainDetail domain(String domain, ReportFilter f) {
    ReportFilter d = f.withDomain(domain);
    return idx.read(
        () -> {
          // One pass over the range for everything on the page: sections, totals, days and rooms.
          Acc a =
              pass(
                  d,
                  new Acc()
                      .group(idx.section, idx.sections.size())
                      .examples()
                      .group2(idx.room, idx.rooms.size())
                      .totals()
                      .days());
          GroupStats g = a.group;
          int[] example = a.example;
          List<SectionHit> sections = new ArrayList<>();
          for (int s = 1; s < idx.sections.size(); s++) {
            if (g.seen(s)) {
              int row = example[s];
              sections.add(
                  new SectionHit(
                      idx.sections.value(s),
                      idx.courses.value(idx.course[row]),
                      idx.teachers.value(idx.teacher[row]),
                      idx.rooms.value(idx.room[row]),
                      g.attempts[s],
                      g.distinct(GroupStats.USERS, s)));
            }
          }
          sections.sort(
              Comparator.comparingLong(SectionHit::attempts)
                  .reversed()
                  .thenComparing(SectionHit::section));
          return new DomainDetail(
              domain, a.totals(d), a.days.list(), sections, rows(a.group2, idx.rooms));
        });
  }

  public SectionDetail section(String section, ReportFilter f) {
    ReportFilter s = f.withSection(section);
    return idx.read(
        () -> {
          Acc a = pass(s, new Acc().group(idx.domain, idx.domains.size()).totals());
          int row = a.firstRow;
          return new SectionDetail(
              section,
              row < 0 ? null : idx.courses.value(idx.course[row]),
              row < 0 ? null : idx.teachers.value(idx.teacher[row]),
              row < 0 ? null : idx.rooms.value(idx.room[row]),
              a.totals(s),
              rows(a.group, idx.domains));
        });
  }

  /**
   * The decision queue: sites blocked during class in {@code f}'s range (both ends set), ranked by
   * {@link DecisionQueue#score}, with the range of equal length before it for the trend.
   */
  public DecisionQueue.Result queue(ReportFilter f) {
    return idx.read(() -> DecisionQueue.compute(idx, f, zone));
  }

  /** Totals of the rows matching {@code f}. */
  public Totals count(ReportFilter f) {
    return idx.read(() -> totals(f));
  }

  public ZoneId zone() {
    return zone;
  }

  /** Ranges below this many rows are scanned on the calling thread alone (tests lower it). */
  static volatile int parallelRows = 100_000;

  private static final int HELPERS = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
  private static final ExecutorService SCANNERS =
      Executors.newFixedThreadPool(
          HELPERS,
          r -> {
            Thread t = new Thread(r, "report-scan");
            t.setDaemon(true);
            return t;
          });

  /**
   * Runs {@code acc} over the matching rows of {@code f}: a large range is cut into one slice per
   * core, each slice into its own accumulator (the caller holds the read lock while the helpers
   * run, so no writer can change the columns), and the slices are merged in row order. Read lock
   * held.
   */
  private Acc pass(ReportFilter f, Acc acc) {
    RowMatcher match = f.compile(idx);
    if (match.impossible()) {
      return acc;
    }
    int[] range = idx.range(f.from(), f.to());
    int rows = range[1] - range[0];
    int slices = rows < parallelRows ? 1 : HELPERS + 1;
    if (slices == 1) {
      acc.run(match, range[0], range[1]);
      return acc;
    }
    int step = (rows + slices - 1) / slices;
    List<Acc> parts = new ArrayList<>();
    List<Future<?>> futures = new ArrayList<>();
    for (int k = 1; k < slices; k++) {
      Acc part = acc.fresh();
      int from = range[0] + k * step;
      int to = Math.min(range[1], from + step);
      parts.add(part);
      futures.add(SCANNERS.submit(() -> part.run(match, from, to)));
    }
    acc.run(match, range[0], Math.min(range[1], range[0] + step));
    for (int k = 0; k < parts.size(); k++) {
      try {
        futures.get(k).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("report interrupted", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("report scan failed", e.getCause());
      }
      acc.merge(parts.get(k));
    }
    return acc;
  }

  /**
   * What one pass over the rows computes: any of a grouping (with a first row per group), a second
   * grouping, totals, counts per school day and the first matching row.
   */
  private final class Acc {
    int[] groupCol;
    GroupStats group;
    int[] group2Col;
    GroupStats group2;
    GroupStats total;
    DayCounts days;
    int[] example;
    int firstRow = -1;
    long[][] heat;
    LocalDays heatDays;
    LocalDate heatDay;
    int heatWeekday;

    Acc heat(int periods) {
      heat = new long[periods][7];
      heatDays = new LocalDays(zone);
      return this;
    }

    Acc group(int[] column, int groups) {
      groupCol = column;
      group = new GroupStats(idx, groups);
      return this;
    }

    Acc group2(int[] column, int groups) {
      group2Col = column;
      group2 = new GroupStats(idx, groups);
      return this;
    }

    Acc examples() {
      example = new int[group.attempts.length];
      Arrays.fill(example, -1);
      return this;
    }

    Acc totals() {
      total = new GroupStats(idx, 1);
      return this;
    }

    Acc days() {
      days = new DayCounts(zone);
      return this;
    }

    /** An empty accumulator computing the same things. */
    Acc fresh() {
      Acc a = new Acc();
      if (group != null) {
        a.group(groupCol, group.attempts.length);
        if (example != null) {
          a.examples();
        }
      }
      if (group2 != null) {
        a.group2(group2Col, group2.attempts.length);
      }
      if (total != null) {
        a.totals();
      }
      if (days != null) {
        a.days();
      }
      if (heat != null) {
        a.heat(heat.length);
      }
      return a;
    }

    void run(RowMatcher match, int from, int to) {
      for (int i = from; i < to; i++) {
        if (!match.test(i)) {
          continue;
        }
        if (firstRow < 0) {
          firstRow = i;
        }
        if (group != null) {
          int v = groupCol[i];
          group.add(v, i);
          if (example != null && example[v] < 0) {
            example[v] = i;
          }
        }
        if (group2 != null) {
          group2.add(group2Col[i], i);
        }
        if (total != null) {
          total.add(0, i);
        }
        if (days != null) {
          days.add(idx.time[i], idx.instructional[i]);
        }
        if (heat != null && idx.period[i] != Dictionary.NULL) {
          LocalDate d = heatDays.dayOf(idx.time[i]);
          if (d != heatDay) {
            heatDay = d;
            heatWeekday = d.getDayOfWeek().getValue() - 1;
          }
          heat[idx.period[i]][heatWeekday]++;
        }
      }
    }

    /** Adds {@code later}, which covers rows after this one's. */
    void merge(Acc later) {
      if (firstRow < 0) {
        firstRow = later.firstRow;
      }
      if (group != null) {
        group.merge(later.group);
      }
      if (example != null) {
        for (int v = 0; v < example.length; v++) {
          if (example[v] < 0) {
            example[v] = later.example[v];
          }
        }
      }
      if (group2 != null) {
        group2.merge(later.group2);
      }
      if (total != null) {
        total.merge(later.total);
      }
      if (days != null) {
        days.merge(later.days);
      }
      if (heat != null) {
        for (int p = 0; p < heat.length; p++) {
          for (int w = 0; w < 7; w++) {
            heat[p][w] += later.heat[p][w];
          }
        }
      }
    }

    Totals totals(ReportFilter f) {
      return new Totals(
          f.from(),
          f.to(),
          total.attempts[0],
          total.instructional[0],
          total.distinct(GroupStats.DOMAINS, 0),
          total.distinct(GroupStats.SECTIONS, 0),
          total.distinct(GroupStats.USERS, 0));
    }
  }

  /**
   * Attempts per school day of rows read in time order: the map is consulted only when the day
   * changes.
   */
  private static final class DayCounts {
    private final LocalDays localDays;
    private final Map<LocalDate, long[]> byDay = new TreeMap<>();
    private LocalDate current;
    private long[] counts;

    DayCounts(ZoneId zone) {
      localDays = new LocalDays(zone);
    }

    void add(long micros, boolean instructional) {
      LocalDate d = localDays.dayOf(micros);
      if (d != current) {
        current = d;
        counts = byDay.computeIfAbsent(d, k -> new long[2]);
      }
      counts[0]++;
      if (instructional) {
        counts[1]++;
      }
    }

    void merge(DayCounts other) {
      other.byDay.forEach(
          (d, c) -> {
            long[] mine = byDay.computeIfAbsent(d, k -> new long[2]);
            mine[0] += c[0];
            mine[1] += c[1];
          });
      current = null;
    }

    List<Day> list() {
      List<Day> out = new ArrayList<>();
      byDay.forEach((d, c) -> out.add(new Day(d, c[0], c[1])));
      return out;
    }
  }

  /** Counts the matching rows of {@code f} per value of {@code groupColumn}. Read lock held. */
  private GroupStats scan(ReportFilter f, int[] groupColumn, int groups) {
    return pass(f, new Acc().group(groupColumn, groups)).group;
  }

  private List<BreakdownRow> group(ReportFilter f, Dimension dim) {
    Dictionary dict = dictionary(dim);
    return rows(scan(f, column(dim), dict.size()), dict);
  }

  private static List<BreakdownRow> rows(GroupStats g, Dictionary dict) {
    List<BreakdownRow> rows = new ArrayList<>();
    for (int v = 0; v < dict.size(); v++) {
      if (g.seen(v)) {
        rows.add(
            new BreakdownRow(
                dict.value(v),
                g.attempts[v],
                g.instructional[v],
                g.distinct(GroupStats.DOMAINS, v),
                g.distinct(GroupStats.USERS, v)));
      }
    }
    rows.sort(
        Comparator.comparingLong(BreakdownRow::attempts)
            .reversed()
            .thenComparing(BreakdownRow::value, Comparator.nullsLast(Comparator.naturalOrder())));
    return rows;
  }

  private Totals totals(ReportFilter f) {
    return pass(f, new Acc().totals()).totals(f);
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
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }
}
