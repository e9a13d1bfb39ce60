package org.bellwatch.agent.sim;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The simulated school: rooms, people, courses, sections, bell schedules and the calendar, plus the
 * lookups the truth needs ("which period is in session", "which section is in this room").
 *
 * <p>Layout: teacher {@code i} (0-based) teaches in room {@code RM10(i+1)} and has period {@code
 * i+1} free (prep), so every period five of the six rooms hold a class. Every student has exactly
 * one class in each of periods 1..6, spread evenly (12 per class with 60 students).
 *
 * <p>Design note (one class): the roster the simulator writes and the lookups the truth is computed
 * from read the same tables; kept in one class, the truth cannot read a different school than the
 * one written.
 */
final class School {

  static final String ORG_ID = "org-bwms";
  static final String ORG_NAME = "Bellwatch Middle School";

  /** The sample school's size ({@link SiteSimulator.Scale#SAMPLE}). */
  static final int ROOMS = 6;

  static final int PERIODS = 6;
  static final int STUDENTS = 60;

  record Person(
      String sourcedId,
      String username,
      String givenName,
      String familyName,
      String role,
      String grade,
      String identifier) {}

  record Course(String sourcedId, String title, String code, String subject) {}

  record Section(
      String sourcedId,
      String title,
      Course course,
      String room,
      String period,
      Person teacher,
      String classCode) {}

  record Bell(String schedule, String period, LocalTime start, LocalTime end) {
    boolean contains(LocalTime t) {
      return !t.isBefore(start) && t.isBefore(end);
    }
  }

  /**
   * A term's calendar and catalog (see {@link TermSimulator}).
   *
   * @param first the session's first day
   * @param last its last day
   * @param sessionId its sourcedId in academicSessions.csv
   * @param title its title there
   * @param exceptions calendar.csv lines: date → bell schedule ({@code none}: no school)
   * @param catalog one course per room, in room order
   * @param given given names to draw from
   * @param family family names to draw from
   * @param coTeachers teachers without a room, each co-teaching two sections
   */
  record TermPlan(
      LocalDate first,
      LocalDate last,
      String sessionId,
      String title,
      Map<LocalDate, String> exceptions,
      List<Course> catalog,
      List<String> given,
      List<String> family,
      int coTeachers) {}

  private static final String[] SUBJECTS = {
    "Mathematics",
    "English Language Arts",
    "Science",
    "History-Social Science",
    "World Languages",
    "Visual and Performing Arts"
  };
  private static final String[] COURSE_TITLES = {
    "Math 7", "English 7", "Life Science", "World History", "Spanish I", "Art"
  };
  private static final String[] COURSE_CODES = {"MA7", "EN7", "SC7", "HI7", "SP1", "AR7"};

  private static final String[] GIVEN = {
    "Ava",
    "Liam",
    "Mia",
    "Noah",
    "Sofia",
    "Mateo",
    "Chloe",
    "Ethan",
    "Isabella",
    "Lucas",
    "Emma",
    "Diego",
    "Aaliyah",
    "Kai",
    "Zoe",
    "Jayden",
    "Layla",
    "Omar",
    "Priya",
    "Hiro",
    "Camila",
    "Elijah",
    "Nora",
    "Ravi",
    "Grace",
    "Tomas",
    "Leah",
    "Malik",
    "Hannah",
    "Minh",
    "Ximena",
    "Owen",
    "Ruby",
    "Andre",
    "Yuna",
    "Caleb"
  };
  private static final String[] FAMILY = {
    "Nguyen",
    "Garcia",
    "Smith",
    "Patel",
    "Kim",
    "Lopez",
    "Johnson",
    "Chen",
    "Martinez",
    "Brown",
    "Singh",
    "Hernandez",
    "Davis",
    "Tran",
    "Wilson",
    "Ramirez",
    "Lee",
    "Okafor",
    "Anderson",
    "Flores",
    "Yamamoto",
    "Rivera",
    "Cohen",
    "Ali",
    "Torres",
    "Murphy",
    "Silva",
    "Park",
    "Gonzalez",
    "Reyes"
  };

  final LocalDate date;
  final ZoneId zone;
  final int schoolYear; // the calendar year the school year starts in
  final LocalDate yearStart;
  final LocalDate yearEnd;
  final LocalDate termStart;
  final LocalDate termEnd;

  /** The spring term (school scale only; null for the sample): sections run in both terms. */
  final LocalDate springStart;

  /**
   * The sourcedId and title of the session {@link #termStart}..{@link #termEnd} in
   * academicSessions.csv.
   */
  final String termId;

  final String termTitle;

  /** The term's plan, or null for the one-day scales. */
  final TermPlan plan;

  final SiteSimulator.Scale scale;
  final int roomCount;
  final int periods;
  final int studentCount;
  final List<String> rooms = new ArrayList<>();
  final List<Person> teachers = new ArrayList<>();
  final List<Person> students = new ArrayList<>();

  /** Teachers without a room of their own who co-teach sections (term only; none elsewhere). */
  final List<Person> coTeachers = new ArrayList<>();

  /** Section → its co-teacher (a {@code role=teacher, primary=false} enrollment). */
  final Map<Section, Person> coTaught = new java.util.LinkedHashMap<>();

  final List<Course> courses = new ArrayList<>();
  final List<Section> sections = new ArrayList<>();

  /** studentSections.get(s)[p-1]: the section student s attends in period p. */
  final List<Section[]> studentSections = new ArrayList<>();

  final List<Bell> bells = new ArrayList<>();

  /** Calendar exceptions, date → bell schedule name (never contains {@link #date}). */
  final Map<LocalDate, String> calendar = new TreeMap<>();

  private final Map<String, Person> usersByName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  /** Usernames given so far: each new one is made unique against them. */
  private final List<String> taken = new ArrayList<>();

  private final Map<Person, Integer> studentIndex = new java.util.HashMap<>();
  private final Map<Section, List<Person>> rosters = new java.util.HashMap<>();

  School(SplittableRandom rnd, LocalDate date, ZoneId zone) {
    this(rnd, date, zone, SiteSimulator.Scale.SAMPLE);
  }

  School(SplittableRandom rnd, LocalDate date, ZoneId zone, SiteSimulator.Scale scale) {
    this(rnd, date, zone, scale, null);
  }

  /**
   * A simulated term (see {@link TermSimulator}): one academic session from {@code plan.first()} to
   * {@code plan.last()}, its calendar exceptions, a course per room from the plan's catalog, names
   * from its lists, and co-teachers in a few sections.
   *
   * @param plan null for the one-day scales
   */
  School(
      SplittableRandom rnd, LocalDate date, ZoneId zone, SiteSimulator.Scale scale, TermPlan plan) {
    this.date = date;
    this.zone = zone;
    this.scale = scale;
    this.plan = plan;
    this.roomCount = scale.rooms();
    this.periods = scale.periods();
    this.studentCount = scale.students();
    LocalDate anchor = plan == null ? date : plan.first();
    this.schoolYear = anchor.getMonthValue() >= 8 ? anchor.getYear() : anchor.getYear() - 1;
    LocalDate augustStart = LocalDate.of(schoolYear, 8, 17);
    LocalDate juneEnd = LocalDate.of(schoolYear + 1, 6, 11);
    if (plan == null) {
      this.yearStart = augustStart;
      this.yearEnd = juneEnd;
      this.termStart = yearStart;
      this.termEnd = LocalDate.of(schoolYear, 12, 18);
      this.springStart = scale.isSample() ? null : LocalDate.of(schoolYear + 1, 1, 5);
      this.termId = "as-fall" + schoolYear;
      this.termTitle = "Fall " + schoolYear;
    } else {
      // A summer term falls outside August to June: the school year then stretches to hold it.
      this.yearStart = plan.first().isBefore(augustStart) ? plan.first() : augustStart;
      this.yearEnd = plan.last().isAfter(juneEnd) ? plan.last() : juneEnd;
      this.termStart = plan.first();
      this.termEnd = plan.last();
      this.springStart = null;
      this.termId = plan.sessionId();
      this.termTitle = plan.title();
    }
    buildBells();
    if (plan == null) {
      buildCalendar();
    } else {
      calendar.putAll(plan.exceptions());
    }
    buildPeople(rnd);
    buildSections(rnd);
    if (plan != null) {
      buildCoTeachers(rnd, plan.coTeachers());
    }
  }

  private void buildBells() {
    if (!scale.isSample()) {
      buildSchoolBells();
      return;
    }
    // regular: 50-minute periods, 5 minutes passing, lunch between 4 and 5.
    String[][] regular = {
      {"1", "08:00", "08:50"},
      {"2", "08:55", "09:45"},
      {"3", "09:50", "10:40"},
      {"4", "10:45", "11:35"},
      {"Lunch", "11:40", "12:10"},
      {"5", "12:15", "13:05"},
      {"6", "13:10", "14:00"}
    };
    String[][] minimum = {
      {"1", "08:00", "08:35"},
      {"2", "08:40", "09:15"},
      {"3", "09:20", "09:55"},
      {"4", "10:00", "10:35"},
      {"Lunch", "10:40", "11:10"},
      {"5", "11:15", "11:50"},
      {"6", "11:55", "12:30"}
    };
    for (String[] b : regular) {
      bells.add(new Bell("regular", b[0], LocalTime.parse(b[1]), LocalTime.parse(b[2])));
    }
    for (String[] b : minimum) {
      bells.add(new Bell("minimum", b[0], LocalTime.parse(b[1]), LocalTime.parse(b[2])));
    }
  }

  /** Seven periods plus lunch; the minimum (early-release) day dismisses at 12:35. */
  private void buildSchoolBells() {
    String[][] regular = {
      {"1", "08:00", "08:45"},
      {"2", "08:50", "09:35"},
      {"3", "09:40", "10:25"},
      {"4", "10:30", "11:15"},
      {"Lunch", "11:20", "11:50"},
      {"5", "11:55", "12:40"},
      {"6", "12:45", "13:30"},
      {"7", "13:35", "14:20"}
    };
    String[][] minimum = {
      {"1", "08:00", "08:30"},
      {"2", "08:35", "09:05"},
      {"3", "09:10", "09:40"},
      {"4", "09:45", "10:15"},
      {"Lunch", "10:20", "10:50"},
      {"5", "10:55", "11:25"},
      {"6", "11:30", "12:00"},
      {"7", "12:05", "12:35"}
    };
    for (String[] b : regular) {
      bells.add(new Bell("regular", b[0], LocalTime.parse(b[1]), LocalTime.parse(b[2])));
    }
    for (String[] b : minimum) {
      bells.add(new Bell("minimum", b[0], LocalTime.parse(b[1]), LocalTime.parse(b[2])));
    }
  }

  private void buildCalendar() {
    LocalDate laborDay = LocalDate.of(schoolYear, 9, 1);
    while (laborDay.getDayOfWeek() != DayOfWeek.MONDAY) {
      laborDay = laborDay.plusDays(1);
    }
    putException(laborDay, "none");
    putException(LocalDate.of(schoolYear, 10, 9), "minimum");
    putException(LocalDate.of(schoolYear, 11, 11), "none");
    putException(LocalDate.of(schoolYear, 11, 25), "minimum");
    putException(LocalDate.of(schoolYear, 11, 26), "none");
    putException(LocalDate.of(schoolYear, 11, 27), "none");
    if (!scale.isSample()) {
      // Winter break, and early-release days in spring (the school scale also runs a spring term).
      putException(LocalDate.of(schoolYear + 1, 1, 19), "none");
      putException(LocalDate.of(schoolYear + 1, 3, 13), "minimum");
      putException(LocalDate.of(schoolYear + 1, 6, 10), "minimum");
    }
  }

  private void putException(LocalDate d, String schedule) {
    // The sample day always runs its default schedule; at school scale the calendar is the
    // calendar,
    // so simulating an early-release date gives an early-release day.
    if (!d.equals(date) || !scale.isSample()) {
      calendar.put(d, schedule);
    }
  }

  private void buildPeople(SplittableRandom rnd) {
    for (int i = 0; i < roomCount; i++) {
      rooms.add("RM" + (101 + i));
      Person t =
          newTeacher(rnd, taken, String.format("tch-%02d", i + 1), String.format("T%04d", 100 + i));
      teachers.add(t);
      if (plan != null) {
        courses.add(plan.catalog().get(i));
        continue;
      }
      // At school scale each subject has several courses (one per teacher): Math 7 (2), MA7-2, ...
      int k = i % COURSE_CODES.length;
      String n = i < COURSE_CODES.length ? "" : Integer.toString(i / COURSE_CODES.length + 1);
      String code = COURSE_CODES[k] + (n.isEmpty() ? "" : "-" + n);
      courses.add(
          new Course(
              String.format("crs-%s", code.toLowerCase()),
              COURSE_TITLES[k] + (n.isEmpty() ? "" : " (" + n + ")"),
              code,
              SUBJECTS[k]));
    }
    for (int s = 0; s < studentCount; s++) {
      String given = given(rnd);
      String family = family(rnd);
      String base = (given.charAt(0) + family).toLowerCase() + (10 + rnd.nextInt(90));
      String username = unique(taken, base);
      String id = String.format("stu-%04d", s + 1);
      Person p =
          new Person(
              id,
              username,
              given,
              family,
              "student",
              "07",
              String.format("%06d", 240000 + s * 7 + rnd.nextInt(7)));
      students.add(p);
      studentIndex.put(p, s);
      usersByName.put(username, p);
    }
  }

  private Person newTeacher(
      SplittableRandom rnd, List<String> taken, String id, String identifier) {
    String given = given(rnd);
    String family = family(rnd);
    String username = unique(taken, (given.charAt(0) + family).toLowerCase());
    Person t = new Person(id, username, given, family, "teacher", "", identifier);
    usersByName.put(username, t);
    return t;
  }

  private String given(SplittableRandom rnd) {
    return plan == null
        ? GIVEN[rnd.nextInt(GIVEN.length)]
        : plan.given().get(rnd.nextInt(plan.given().size()));
  }

  private String family(SplittableRandom rnd) {
    return plan == null
        ? FAMILY[rnd.nextInt(FAMILY.length)]
        : plan.family().get(rnd.nextInt(plan.family().size()));
  }

  /**
   * Co-teachers (special education, English learners) join two sections each, of different periods.
   */
  private void buildCoTeachers(SplittableRandom rnd, int count) {
    for (int i = 0; i < count; i++) {
      Person c =
          newTeacher(
              rnd, taken, String.format("tch-co%02d", i + 1), String.format("T%04d", 900 + i));
      coTeachers.add(c);
      List<String> periodsTaken = new ArrayList<>();
      while (periodsTaken.size() < 2) {
        Section s = sections.get(rnd.nextInt(sections.size()));
        if (!coTaught.containsKey(s) && !periodsTaken.contains(s.period())) {
          coTaught.put(s, c);
          periodsTaken.add(s.period());
        }
      }
    }
  }

  private static String unique(List<String> taken, String base) {
    String name = base;
    for (int n = 2; taken.contains(name); n++) {
      name = base + "x" + n;
    }
    taken.add(name);
    return name;
  }

  private void buildSections(SplittableRandom rnd) {
    Section[][] byRoomPeriod = new Section[roomCount][periods];
    for (int r = 0; r < roomCount; r++) {
      for (int p = 1; p <= periods; p++) {
        if (p == r % periods + 1) {
          continue; // the teacher's prep period: the room is empty
        }
        Course c = courses.get(r);
        String id = String.format("cls-%s-p%d", rooms.get(r).toLowerCase(), p);
        Section sec =
            new Section(
                id,
                c.title() + ", Period " + p,
                c,
                rooms.get(r),
                Integer.toString(p),
                teachers.get(r),
                c.code() + "-" + p);
        byRoomPeriod[r][p - 1] = sec;
        sections.add(sec);
      }
    }
    for (int s = 0; s < studentCount; s++) {
      studentSections.add(new Section[periods]);
    }
    for (int p = 1; p <= periods; p++) {
      List<Integer> order = new ArrayList<>();
      for (int s = 0; s < studentCount; s++) {
        order.add(s);
      }
      shuffle(order, rnd);
      List<Section> running = new ArrayList<>();
      for (int r = 0; r < roomCount; r++) {
        if (byRoomPeriod[r][p - 1] != null) {
          running.add(byRoomPeriod[r][p - 1]);
        }
      }
      for (int i = 0; i < studentCount; i++) {
        studentSections.get(order.get(i))[p - 1] = running.get(i % running.size());
      }
    }
    for (int s = 0; s < studentCount; s++) {
      for (Section x : studentSections.get(s)) {
        rosters.computeIfAbsent(x, k -> new ArrayList<>()).add(students.get(s));
      }
    }
  }

  static <T> void shuffle(List<T> list, SplittableRandom rnd) {
    for (int i = list.size() - 1; i > 0; i--) {
      Collections.swap(list, i, rnd.nextInt(i + 1));
    }
  }

  // ---- lookups used by the truth and by the traffic generator ----

  /** The bell schedule the given day runs, or null when there is no school. */
  String scheduleOn(LocalDate d) {
    String exception = calendar.get(d);
    if (exception != null) {
      return "none".equals(exception) ? null : exception;
    }
    boolean weekday =
        d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY;
    boolean inTerm =
        !d.isBefore(termStart) && !d.isAfter(termEnd)
            || springStart != null && !d.isBefore(springStart) && !d.isAfter(yearEnd);
    return weekday && inTerm ? "regular" : null;
  }

  /** The bell block in session at this instant (start inclusive, end exclusive), or null. */
  Bell bellAt(Instant t) {
    var local = t.atZone(zone);
    String schedule = scheduleOn(local.toLocalDate());
    if (schedule == null) {
      return null;
    }
    for (Bell b : bells) {
      if (b.schedule().equals(schedule) && b.contains(local.toLocalTime())) {
        return b;
      }
    }
    return null;
  }

  Bell bell(String schedule, String period) {
    for (Bell b : bells) {
      if (b.schedule().equals(schedule) && b.period().equals(period)) {
        return b;
      }
    }
    throw new IllegalArgumentException(schedule + "/" + period);
  }

  /**
   * Whether {@code t} is within 5 s of any bell's start or end: simulated blocks keep away from
   * them, so that no event depends on inclusive/exclusive edge choices.
   */
  boolean nearBell(LocalTime t) {
    for (Bell b : bells) {
      for (LocalTime edge : List.of(b.start(), b.end())) {
        if (Math.abs(java.time.Duration.between(edge, t).toMillis()) < 5_000) {
          return true;
        }
      }
    }
    return false;
  }

  boolean periodUsedByClass(String period) {
    for (Section s : sections) {
      if (s.period().equals(period)) {
        return true;
      }
    }
    return false;
  }

  boolean isRoom(String name) {
    for (Section s : sections) {
      if (s.room().equals(name)) {
        return true;
      }
    }
    return false;
  }

  Section sectionInRoom(String room, String period) {
    for (Section s : sections) {
      if (s.room().equals(room) && s.period().equals(period)) {
        return s;
      }
    }
    return null;
  }

  Section sectionOfStudent(Person student, String period) {
    Integer idx = studentIndex.get(student);
    if (idx == null) {
      return null;
    }
    for (Section s : studentSections.get(idx)) {
      if (s.period().equals(period)) {
        return s;
      }
    }
    return null;
  }

  /** Students of a section, in sourcedId order. */
  List<Person> roster(Section sec) {
    return rosters.getOrDefault(sec, List.of());
  }

  Person user(String name) {
    return name == null ? null : usersByName.get(name);
  }

  Person teacherOfRoom(String room) {
    return teachers.get(rooms.indexOf(room));
  }

  /**
   * The section {@code teacher} teaches (as its teacher or its co-teacher) in a period, preferring
   * the one in {@code room}; null in their planning period and for anyone who teaches nothing.
   */
  Section sectionTaughtBy(Person teacher, String period, String room) {
    Section found = null;
    for (Section s : sections) {
      if (s.period().equals(period) && (s.teacher() == teacher || coTaught.get(s) == teacher)) {
        if (s.room().equals(room)) {
          return s;
        }
        found = found == null ? s : found;
      }
    }
    return found;
  }

  /**
   * {@code devices.csv} of the schedule folder: each teacher laptop with its owner, the teacher of
   * its room (host names and rooms come from DHCP and {@code networks.csv}, so only the owner is
   * given).
   */
  String devicesCsv(List<Network.Device> devices) {
    StringBuilder sb = new StringBuilder("mac,hostname,room,asset_tag,owner\n");
    for (Network.Device d : devices) {
      if (d.kind == Network.Kind.TEACHER_LAPTOP) {
        sb.append(d.macString())
            .append(",,,T-")
            .append(d.room)
            .append(',')
            .append(teacherOfRoom(d.room).username())
            .append('\n');
      }
    }
    return sb.toString();
  }
}
