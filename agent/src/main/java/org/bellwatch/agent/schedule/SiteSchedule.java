package org.bellwatch.agent.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What is in session when: the answer to "which section, if any, was meeting in this room or had
 * this student at this instant". Built once by {@link ScheduleLoader}; immutable and safe to share.
 *
 * <p>School days follow DESIGN.md: a date listed in {@code calendar.csv} runs the bell schedule
 * given there ({@code none}: no school); any other Monday to Friday inside a term runs {@code
 * regular}. "Term" follows the OneRoster 1.1 academicSessions {@code type} vocabulary (section
 * 4.13.6: schoolYear, semester, term, gradingPeriod): school days fall inside a term, semester or
 * grading period when the file has any, and inside a school year only when it has nothing finer. A
 * school year spans its breaks (the weeks between a fall and a spring semester), so counting it as
 * a term would make those weekdays school days. A class's {@code termSourcedIds} (which may name
 * any session, the school year included) still limit the dates it meets.
 */
public final class SiteSchedule {
  public static final String REGULAR = "regular";
  public static final String NO_SCHOOL = "none";

  private final ZoneId zone;

  /** Every academic session, in file order: what a class's termSourcedIds refer to. */
  private final List<Term> terms;

  /**
   * The sessions whose dates are school days: terms, semesters and grading periods, else school
   * years.
   */
  private final List<Term> schoolDayTerms;

  private final Map<String, List<BellPeriod>> bells;
  private final Map<LocalDate, String> calendar;
  private final Map<String, ClassSection> sections;
  private final Map<String, String> usernames;
  private final Map<String, List<String>> studentSections;
  private final Map<String, List<ClassSection>> sectionsByRoom;

  /**
   * The same lists by the roster's own spelling of the room: no lower-casing for the usual lookup.
   */
  private final Map<String, List<ClassSection>> sectionsByCanonicalRoom;

  private final Map<String, String> rooms;

  /**
   * Each room's roster spelling to itself: {@link #canonicalRoom} without lower-casing when it is
   * one.
   */
  private final Map<String, String> canonicalRooms;

  private final Set<String> instructionalPeriods;
  private final RosterPeople people;

  /**
   * The last {@link #periodAt} answer and the instants [from, to) it holds for: one attribution
   * asks up to four times for the same instant, and the blocks of a busy minute mostly fall in the
   * same period.
   */
  private volatile CachedPeriod lastPeriod;

  private record CachedPeriod(Instant from, Instant to, Optional<PeriodInSession> period) {
    boolean holds(Instant t) {
      return !t.isBefore(from) && t.isBefore(to);
    }
  }

  /**
   * An academic session (OneRoster academicSessions.csv): its title and type (null when blank) and
   * its date range, both ends inclusive (startDate/endDate). A blank or unknown type counts as a
   * term, as before the type was read.
   */
  public record Term(String sourcedId, String title, String type, LocalDate start, LocalDate end) {
    boolean contains(LocalDate d) {
      return !d.isBefore(start) && !d.isAfter(end);
    }

    boolean schoolYear() {
      return "schoolYear".equalsIgnoreCase(type);
    }
  }

  SiteSchedule(
      ZoneId zone,
      List<Term> terms,
      Map<String, List<BellPeriod>> bells,
      Map<LocalDate, String> calendar,
      Map<String, ClassSection> sections,
      Map<String, String> usernames,
      Map<String, List<String>> studentSections,
      Map<String, List<ClassSection>> sectionsByRoom,
      Map<String, String> rooms,
      Set<String> instructionalPeriods,
      RosterPeople people) {
    this.zone = zone;
    this.terms = List.copyOf(terms);
    List<Term> finer = terms.stream().filter(term -> !term.schoolYear()).toList();
    this.schoolDayTerms = finer.isEmpty() ? this.terms : finer;
    this.bells = Map.copyOf(bells);
    this.calendar = Map.copyOf(calendar);
    this.sections = Map.copyOf(sections);
    this.usernames = Map.copyOf(usernames);
    this.studentSections = Map.copyOf(studentSections);
    this.sectionsByRoom = Map.copyOf(sectionsByRoom);
    this.rooms = Map.copyOf(rooms);
    Map<String, List<ClassSection>> byCanonical = new java.util.HashMap<>();
    Map<String, String> canonical = new java.util.HashMap<>();
    rooms.forEach(
        (lower, spelled) -> {
          canonical.put(spelled, spelled);
          List<ClassSection> inRoom = sectionsByRoom.get(lower);
          if (inRoom != null) {
            byCanonical.put(spelled, inRoom);
          }
        });
    this.sectionsByCanonicalRoom = Map.copyOf(byCanonical);
    this.canonicalRooms = Map.copyOf(canonical);
    this.instructionalPeriods = Set.copyOf(instructionalPeriods);
    this.people = people;
  }

  /** A schedule with no school days at all, for a site without a schedule folder. */
  public static SiteSchedule empty(ZoneId zone) {
    return new SiteSchedule(
        zone,
        List.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        Set.of(),
        RosterPeople.EMPTY);
  }

  public ZoneId zone() {
    return zone;
  }

  /** The bell schedule that runs on a local date, or null when there is no school. */
  public String bellScheduleOn(LocalDate date) {
    String listed = calendar.get(date);
    if (listed != null) {
      return NO_SCHOOL.equals(listed) ? null : listed;
    }
    DayOfWeek dow = date.getDayOfWeek();
    if (dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY) {
      return null;
    }
    for (Term term : schoolDayTerms) {
      if (term.contains(date)) {
        return REGULAR;
      }
    }
    return null;
  }

  /** The bell period running at {@code t}, including blocks no class uses (such as Lunch). */
  public Optional<PeriodInSession> periodAt(Instant t) {
    CachedPeriod last = lastPeriod;
    if (last != null && last.holds(t)) {
      return last.period();
    }
    CachedPeriod p = computePeriodAt(t);
    lastPeriod = p;
    return p.period();
  }

  /**
   * The period at {@code t} and the instants its answer holds for: the period's own bounds (the
   * loader refuses overlapping periods, so no other period can answer inside them). No period:
   * {@code t} alone.
   */
  private CachedPeriod computePeriodAt(Instant t) {
    ZonedDateTime local = t.atZone(zone);
    LocalDate date = local.toLocalDate();
    String schedule = bellScheduleOn(date);
    if (schedule != null) {
      LocalTime time = local.toLocalTime();
      for (BellPeriod p : bells.getOrDefault(schedule, List.of())) {
        if (p.contains(time)) {
          Optional<PeriodInSession> found = Optional.of(new PeriodInSession(date, schedule, p));
          Instant start = ZonedDateTime.of(date, p.start(), zone).toInstant();
          Instant end = ZonedDateTime.of(date, p.end(), zone).toInstant();
          // Local times that a daylight-saving change skips or repeats: keep the answer for this
          // instant only.
          return t.isBefore(start) || !t.isBefore(end)
              ? new CachedPeriod(t, t.plusNanos(1), found)
              : new CachedPeriod(start, end, found);
        }
      }
    }
    return new CachedPeriod(t, t.plusNanos(1), Optional.empty());
  }

  /** True when {@code t} falls in a period that some class meets in, on a school day. */
  public boolean isInstructionalTime(Instant t) {
    return periodAt(t).filter(p -> instructionalPeriods.contains(p.period().name())).isPresent();
  }

  /**
   * The roster's spelling of a username, matched case-insensitively by username or by the user's
   * e-mail address in {@code users.csv}; null when not in the roster.
   */
  public String canonicalUser(String username) {
    return username == null ? null : usernames.get(username.toLowerCase(Locale.ROOT));
  }

  /**
   * The roster's spelling of a room (a class location), matched case-insensitively; null when
   * unknown.
   */
  public String canonicalRoom(String room) {
    if (room == null) {
      return null;
    }
    String same = canonicalRooms.get(room);
    return same != null ? same : rooms.get(room.toLowerCase(Locale.ROOT));
  }

  /** The section the student is enrolled in that meets at {@code t}, or null. */
  public ClassSection sectionOfStudent(String username, Instant t) {
    if (username == null) {
      return null;
    }
    List<String> ids = studentSections.get(username.toLowerCase(Locale.ROOT));
    if (ids == null) {
      return null;
    }
    Optional<PeriodInSession> now = periodAt(t);
    if (now.isEmpty()) {
      return null;
    }
    for (String id : ids) {
      // An enrollment may name a class the export left out or marked tobedeleted: it meets nowhere.
      ClassSection s = sections.get(id);
      if (s != null && meets(s, now.get())) {
        return s;
      }
    }
    return null;
  }

  /** The section meeting in {@code room} at {@code t}, or null. */
  public ClassSection sectionInRoom(String room, Instant t) {
    if (room == null) {
      return null;
    }
    List<ClassSection> inRoom = sectionsByCanonicalRoom.get(room);
    if (inRoom == null) {
      inRoom = sectionsByRoom.getOrDefault(room.toLowerCase(Locale.ROOT), List.of());
    }
    return meetingAt(inRoom, t);
  }

  private ClassSection meetingAt(List<ClassSection> candidates, Instant t) {
    Optional<PeriodInSession> now = periodAt(t);
    if (now.isEmpty() || candidates.isEmpty()) {
      return null;
    }
    for (ClassSection s : candidates) {
      if (meets(s, now.get())) {
        return s;
      }
    }
    return null;
  }

  private boolean meets(ClassSection s, PeriodInSession now) {
    return s.periods().contains(now.period().name()) && inTerm(s, now.date());
  }

  private boolean inTerm(ClassSection s, LocalDate date) {
    if (s.termIds().isEmpty()) {
      return true;
    }
    boolean anyKnown = false;
    for (Term term : terms) {
      if (s.termIds().contains(term.sourcedId())) {
        anyKnown = true;
        if (term.contains(date)) {
          return true;
        }
      }
    }
    // A class whose terms are not in academicSessions.csv is taken to run whenever school is in.
    return !anyKnown;
  }

  /**
   * Every time the named bell period runs, over all bell schedules (a late-start day moves
   * periods): the distinct start and end times, earliest first. Empty when no schedule has the
   * period.
   */
  public List<BellPeriod> timesOfPeriod(String period) {
    return bells.values().stream()
        .flatMap(List::stream)
        .filter(p -> p.name().equals(period))
        .distinct()
        .sorted(java.util.Comparator.comparing(BellPeriod::start).thenComparing(BellPeriod::end))
        .toList();
  }

  public int sectionCount() {
    return sections.size();
  }

  /**
   * Every academic session of academicSessions.csv (all types), by start date, then end date, then
   * id.
   */
  public List<Term> terms() {
    return terms.stream()
        .sorted(
            java.util.Comparator.comparing(Term::start)
                .thenComparing(Term::end)
                .thenComparing(Term::sourcedId))
        .toList();
  }

  /** The section with this OneRoster class sourcedId, or null when the roster has none. */
  public ClassSection section(String sectionId) {
    return sectionId == null ? null : sections.get(sectionId);
  }

  /**
   * The section's title as people say it ({@link ClassSection#displayTitle()}), or null when not in
   * the roster.
   */
  public String sectionTitle(String sectionId) {
    ClassSection s = section(sectionId);
    return s == null ? null : s.displayTitle();
  }

  /**
   * The user's {@code givenName familyName} from users.csv, matched like {@link #canonicalUser}
   * (username or e-mail address, any case); null when the user is not in the roster or has no name
   * there.
   */
  public String displayName(String username) {
    return people.displayName(canonicalUser(username));
  }

  /** The user's e-mail address from the roster (users.csv {@code email}), or null. */
  public String emailOf(String username) {
    return people.email(canonicalUser(username));
  }

  /**
   * The sections where the user (matched like {@link #canonicalUser}) has a {@code role=teacher}
   * enrollment, primary or not: those taught as a primary teacher first. Empty for anyone else.
   */
  public List<String> sectionsTaughtBy(String username) {
    return people.sectionsTaughtBy(canonicalUser(username));
  }

  /**
   * The sections the user (matched like {@link #canonicalUser}) teaches, primary or co-teacher,
   * that meet at {@code t}: those taught as a primary teacher first. Empty for anyone who teaches
   * nothing then (a planning period) or nothing at all.
   */
  public List<ClassSection> sectionsTaughtAt(String username, Instant t) {
    List<String> ids = sectionsTaughtBy(username);
    if (ids.isEmpty()) {
      return List.of();
    }
    Optional<PeriodInSession> now = periodAt(t);
    if (now.isEmpty()) {
      return List.of();
    }
    List<ClassSection> out = new java.util.ArrayList<>(1);
    for (String id : ids) {
      ClassSection s = sections.get(id);
      if (s != null && meets(s, now.get())) {
        out.add(s);
      }
    }
    return out;
  }

  /** The usernames of every teacher of the section: primary teachers first, then co-teachers. */
  public List<String> teachersOf(String sectionId) {
    return people.teachersOf(sectionId);
  }
}
