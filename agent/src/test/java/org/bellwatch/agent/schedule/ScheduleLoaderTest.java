package org.bellwatch.agent.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleLoaderTest {
  static final ZoneId LA = ZoneId.of("America/Los_Angeles");
  @TempDir Path dir;
  SiteSchedule schedule;

  @BeforeEach
  void load() throws Exception {
    schedule = ScheduleLoader.load(SiteFolder.write(dir), LA);
  }

  static java.time.Instant at(String date, String time) {
    return ZonedDateTime.of(LocalDate.parse(date), LocalTime.parse(time), LA).toInstant();
  }

  @Test
  void aWeekdayInTheTermRunsTheRegularBellsInTheSchoolsZone() {
    assertThat(schedule.periodAt(at("2026-09-15", "08:10")))
        .contains(
            new PeriodInSession(
                LocalDate.parse("2026-09-15"),
                "regular",
                new BellPeriod("1", LocalTime.of(8, 0), LocalTime.of(8, 50))));
    // Passing time between periods is no period at all.
    assertThat(schedule.periodAt(at("2026-09-15", "08:52"))).isEmpty();
    // The end of a period is exclusive.
    assertThat(schedule.periodAt(at("2026-09-15", "08:50"))).isEmpty();
  }

  @Test
  void calendarExceptionsChangeTheBellsOrCancelTheDay() {
    assertThat(schedule.periodAt(at("2026-09-16", "08:40"))).isEmpty();
    assertThat(schedule.periodAt(at("2026-09-16", "08:10")).map(PeriodInSession::bellSchedule))
        .contains("minimum");
    assertThat(schedule.periodAt(at("2026-09-18", "08:10"))).isEmpty();
  }

  @Test
  void aDistrictICalendarClosesSchoolOnBreaksButNotOnEventNights() throws Exception {
    SiteFolder.write(
        dir.resolve("calendar.ics"),
        String.join(
            "\r\n",
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "BEGIN:VEVENT",
            "SUMMARY:Thanksgiving Break - No Sch",
            " ool",
            "DTSTART;VALUE=DATE:20261125",
            "DTEND;VALUE=DATE:20261128",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "SUMMARY:Back to School Night",
            "DTSTART;VALUE=DATE:20260917",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "SUMMARY:Holiday party",
            "DTSTART;TZID=America/Los_Angeles:20261211T150000",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "SUMMARY:Staff holiday",
            "DTSTART;VALUE=DATE:20260916",
            "END:VEVENT",
            "END:VCALENDAR",
            ""));
    schedule = ScheduleLoader.load(dir, LA);

    assertThat(schedule.bellScheduleOn(LocalDate.parse("2026-11-24"))).isEqualTo("regular");
    assertThat(schedule.bellScheduleOn(LocalDate.parse("2026-11-25"))).isNull();
    assertThat(schedule.bellScheduleOn(LocalDate.parse("2026-11-27"))).isNull();
    assertThat(schedule.bellScheduleOn(LocalDate.parse("2026-09-17"))).isEqualTo("regular");
    assertThat(schedule.bellScheduleOn(LocalDate.parse("2026-12-11")))
        .as("timed events are not closures")
        .isEqualTo("regular");
    // calendar.csv says 2026-09-16 is a minimum day: the site's own file wins over the district's.
    assertThat(schedule.bellScheduleOn(LocalDate.parse("2026-09-16"))).isEqualTo("minimum");
  }

  @Test
  void weekendsAndDaysOutsideEveryTermHaveNoSchool() {
    assertThat(schedule.bellScheduleOn(LocalDate.parse("2026-09-19"))).isNull();
    assertThat(schedule.bellScheduleOn(LocalDate.parse("2026-08-14"))).isNull();
    assertThat(schedule.bellScheduleOn(LocalDate.parse("2026-08-17"))).isEqualTo("regular");
  }

  @Test
  void aWinterBreakBetweenTwoSemestersIsNoSchoolThoughTheSchoolYearSpansIt() throws Exception {
    // Regression: every academicSessions.csv row counted as a term, the schoolYear row included, so
    // the
    // weekdays between the fall and spring semesters were school days and a block from an unknown
    // device
    // then was "instructional".
    SiteFolder.write(
        dir.resolve("oneroster/academicSessions.csv"),
        "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear\r\n"
            + "sy-2026,active,2026-07-01T00:00:00Z,2026-27,schoolYear,2026-08-17,2027-06-11,,2027\r\n"
            + "fall-2026,active,2026-07-01T00:00:00Z,Fall,semester,2026-08-17,2026-12-18,sy-2026,2027\r\n"
            + "spring-2027,active,2026-07-01T00:00:00Z,Spring,semester,2027-01-05,2027-06-11,sy-2026,2027\r\n");
    schedule = ScheduleLoader.load(dir, LA);

    assertThat(schedule.bellScheduleOn(LocalDate.parse("2026-12-18"))).isEqualTo("regular");
    assertThat(schedule.bellScheduleOn(LocalDate.parse("2026-12-22")))
        .as("a Tuesday of the break")
        .isNull();
    assertThat(schedule.bellScheduleOn(LocalDate.parse("2027-01-04")))
        .as("the Monday before spring")
        .isNull();
    assertThat(schedule.bellScheduleOn(LocalDate.parse("2027-01-05"))).isEqualTo("regular");
    assertThat(schedule.periodAt(at("2026-12-22", "08:10"))).isEmpty();
    assertThat(schedule.isInstructionalTime(at("2026-12-22", "08:10"))).isFalse();
    // A class whose termSourcedIds name the school year meets on every school day of it, and only
    // then.
    assertThat(schedule.sectionInRoom("RM101", at("2027-01-05", "08:10")).sourcedId())
        .isEqualTo("cls-alg");
    assertThat(schedule.sectionInRoom("RM101", at("2026-12-22", "08:10"))).isNull();
  }

  @Test
  void aClassLimitedToTheFallSemesterDoesNotMeetInSpring() throws Exception {
    SiteFolder.write(
        dir.resolve("oneroster/academicSessions.csv"),
        "sourcedId,status,type,startDate,endDate\n"
            + "sy-2026,active,schoolYear,2026-08-17,2027-06-11\n"
            + "fall-2026,active,semester,2026-08-17,2026-12-18\n"
            + "spring-2027,active,semester,2027-01-05,2027-06-11\n");
    SiteFolder.write(
        dir.resolve("oneroster/classes.csv"),
        "title,sourcedId,status,courseSourcedId,location,periods,termSourcedIds\n"
            + "Algebra I - 1,cls-alg,active,crs-alg,RM101,1,fall-2026\n"
            + "Biology - 1,cls-bio,active,crs-bio,RM102,1,\"fall-2026,spring-2027\"\n");
    schedule = ScheduleLoader.load(dir, LA);

    assertThat(schedule.sectionInRoom("RM101", at("2026-12-18", "08:10")).sourcedId())
        .isEqualTo("cls-alg");
    assertThat(schedule.sectionInRoom("RM101", at("2027-01-05", "08:10"))).isNull();
    assertThat(schedule.sectionInRoom("RM102", at("2027-01-05", "08:10")).sourcedId())
        .isEqualTo("cls-bio");
  }

  @Test
  void aStudentsSectionIsTheEnrolledClassMeetingNowMatchedCaseInsensitively() {
    assertThat(schedule.sectionOfStudent("ALICE", at("2026-09-15", "08:10")))
        .isEqualTo(
            new ClassSection(
                "cls-alg",
                "Algebra I - 1",
                "Algebra I, Part A",
                "RM101",
                Set.of("1"),
                "ms.rivera",
                Set.of("sy-2026")));
    assertThat(schedule.sectionOfStudent("alice", at("2026-09-15", "09:00")).sourcedId())
        .isEqualTo("cls-art");
    assertThat(schedule.sectionOfStudent("alice", at("2026-09-15", "11:40"))).isNull();
    assertThat(schedule.canonicalUser("bob")).isEqualTo("Bob");
    assertThat(schedule.canonicalUser("mallory")).isNull();
  }

  @Test
  void aUserLoggedByEmailAddressIsTheRosterUserWithThatAddressUnlessTwoShareIt() throws Exception {
    SiteFolder.write(
        dir.resolve("oneroster/users.csv"),
        "sourcedId,status,role,username,email\n"
            + "t1,active,teacher,ms.rivera,arivera@school.example\ns1,active,student,alice,Alice.A@School.example\n"
            + "s2,active,student,Bob,shared@school.example\ns3,active,student,carol,shared@school.example\n"
            + "s4,active,student,dave,alice\n");
    schedule = ScheduleLoader.load(dir, LA);

    assertThat(schedule.canonicalUser("alice.a@school.example")).isEqualTo("alice");
    assertThat(
            schedule
                .sectionOfStudent(
                    schedule.canonicalUser("ALICE.A@SCHOOL.EXAMPLE"), at("2026-09-15", "08:10"))
                .sourcedId())
        .isEqualTo("cls-alg");
    assertThat(schedule.canonicalUser("shared@school.example")).as("two users share it").isNull();
    assertThat(schedule.canonicalUser("alice"))
        .as("a username wins over an address")
        .isEqualTo("alice");
  }

  @Test
  void everyTeacherEnrollmentCountsSoCoTeachersTeachTheSectionAndThePrimaryTeacherStaysItsTeacher()
      throws Exception {
    SiteFolder.write(
        dir.resolve("oneroster/users.csv"),
        "sourcedId,status,role,username,email,givenName,familyName\n"
            + "t1,active,teacher,ms.rivera,arivera@school.example,Ana,Rivera\nt2,active,teacher,mr.chen,,Li,Chen\n"
            + "t3,active,teacher,mx.ortiz,,Sam,Ortiz\ns1,active,student,alice,,Alice,A\n");
    // The co-teacher is listed first, a teacher is enrolled twice, one enrollment names a class not
    // exported.
    SiteFolder.write(
        dir.resolve("oneroster/enrollments.csv"),
        "sourcedId,status,classSourcedId,userSourcedId,role,primary\n"
            + "e0,active,cls-bio,t3,teacher,false\ne1,active,cls-alg,t1,teacher,true\ne2,active,cls-bio,t2,teacher,true\n"
            + "e3,active,cls-art,t1,teacher,true\ne4,active,cls-bio,t1,teacher,false\ne5,active,cls-bio,t1,teacher,false\n"
            + "e6,active,cls-gone,t3,teacher,true\ne7,tobedeleted,cls-art,t3,teacher,false\n"
            + "e8,active,cls-alg,s1,student,false\n");
    schedule = ScheduleLoader.load(dir, LA);

    assertThat(schedule.teachersOf("cls-bio")).containsExactly("mr.chen", "mx.ortiz", "ms.rivera");
    assertThat(schedule.section("cls-bio").teacher()).isEqualTo("mr.chen");
    assertThat(schedule.sectionsTaughtBy("MS.RIVERA"))
        .containsExactly("cls-alg", "cls-art", "cls-bio");
    assertThat(schedule.sectionsTaughtBy("ARivera@School.example"))
        .as("linked by e-mail address")
        .containsExactly("cls-alg", "cls-art", "cls-bio");
    assertThat(schedule.sectionsTaughtBy("mx.ortiz")).containsExactly("cls-bio");
    assertThat(schedule.sectionsTaughtBy("alice")).as("a student teaches nothing").isEmpty();
    assertThat(schedule.sectionsTaughtBy("nobody")).isEmpty();
    assertThat(schedule.teachersOf("cls-gone")).isEmpty();
    // Students are still found by their own enrollments.
    assertThat(schedule.sectionOfStudent("alice", at("2026-09-15", "08:10")).sourcedId())
        .isEqualTo("cls-alg");
  }

  @Test
  void
      displayNamesAreGivenAndFamilyNameFromUsersCsvAndAbsentWhenBothAreBlankOrTheColumnsAreMissing()
          throws Exception {
    SiteFolder.write(
        dir.resolve("oneroster/users.csv"),
        "sourcedId,status,role,username,email,givenName,familyName\n"
            + "t1,active,teacher,ms.rivera,arivera@school.example,\" Ana \",\" Rivera \"\nt2,active,teacher,mr.chen,,,Chen\n"
            + "s1,active,student,alice,,,\n");
    schedule = ScheduleLoader.load(dir, LA);

    Map<String, String> names = new LinkedHashMap<>();
    for (String u :
        new String[] {"MS.Rivera", "arivera@school.example", "mr.chen", "alice", "mallory", null}) {
      names.put(u, schedule.displayName(u));
    }
    assertThat(names)
        .containsExactly(
            entry("MS.Rivera", "Ana Rivera"),
            entry("arivera@school.example", "Ana Rivera"),
            entry("mr.chen", "Chen"),
            entry("alice", null),
            entry("mallory", null),
            entry(null, null));

    SiteFolder.write(
        dir.resolve("oneroster/users.csv"),
        "sourcedId,status,role,username\nt1,active,teacher,ms.rivera\n");
    assertThat(ScheduleLoader.load(dir, LA).displayName("ms.rivera")).isNull();
  }

  @Test
  void aSectionTitleIsTheCourseThenItsPeriodsAndRoomLeavingOutWhatIsUnknown() throws Exception {
    SiteFolder.write(
        dir.resolve("oneroster/classes.csv"),
        "title,sourcedId,status,courseSourcedId,location,periods\n"
            + "Biology - 1,cls-bio,active,crs-bio,RM102,\"1-2\"\nBiology - 3,cls-bio3,active,crs-bio,RM102,\n"
            + "Biology - 4,cls-bio4,active,crs-bio,,\nStudy Hall,cls-hall,active,crs-none,,2\n,cls-blank,active,,,\n");
    schedule = ScheduleLoader.load(dir, LA);

    Map<String, String> titles = new LinkedHashMap<>();
    for (String id :
        new String[] {"cls-bio", "cls-bio3", "cls-bio4", "cls-hall", "cls-blank", "cls-none"}) {
      titles.put(id, schedule.sectionTitle(id));
    }
    // Without a course: the class title; without any title: the id.
    assertThat(titles)
        .containsExactly(
            entry("cls-bio", "Biology (Period 1, 2, RM102)"),
            entry("cls-bio3", "Biology (RM102)"),
            entry("cls-bio4", "Biology"),
            entry("cls-hall", "Study Hall (Period 2)"),
            entry("cls-blank", "cls-blank"),
            entry("cls-none", null));
  }

  @Test
  void termsAreEveryAcademicSessionWithTitleAndTypeByStartDate() throws Exception {
    SiteFolder.write(
        dir.resolve("oneroster/academicSessions.csv"),
        "sourcedId,status,title,type,startDate,endDate\n"
            + "spring-2027,active,Spring,semester,2027-01-05,2027-06-11\n"
            + "sy-2026,active,2026-27,schoolYear,2026-08-17,2027-06-11\n"
            + "q1,active,Q1,gradingPeriod,2026-08-17,2026-10-16\n"
            + "fall-2026,active,,semester,2026-08-17,2026-12-18\n"
            + "gone,tobedeleted,Gone,term,2020-01-01,2020-06-01\n");
    schedule = ScheduleLoader.load(dir, LA);

    assertThat(schedule.terms())
        .containsExactly(
            new SiteSchedule.Term(
                "q1",
                "Q1",
                "gradingPeriod",
                LocalDate.parse("2026-08-17"),
                LocalDate.parse("2026-10-16")),
            new SiteSchedule.Term(
                "fall-2026",
                null,
                "semester",
                LocalDate.parse("2026-08-17"),
                LocalDate.parse("2026-12-18")),
            new SiteSchedule.Term(
                "sy-2026",
                "2026-27",
                "schoolYear",
                LocalDate.parse("2026-08-17"),
                LocalDate.parse("2027-06-11")),
            new SiteSchedule.Term(
                "spring-2027",
                "Spring",
                "semester",
                LocalDate.parse("2027-01-05"),
                LocalDate.parse("2027-06-11")));
  }

  @Test
  void anEnrollmentInAClassMissingFromTheExportIsIgnoredNotACrash() throws Exception {
    // Regression: the student's section lookup dereferenced the missing class.
    SiteFolder.write(
        dir.resolve("oneroster/enrollments.csv"),
        "sourcedId,status,classSourcedId,userSourcedId,role,primary\n"
            + "e1,active,cls-alg,t1,teacher,true\ne9,active,cls-gone-from-export,s1,student,false\n"
            + "e4,active,cls-alg,s1,student,false\n");
    schedule = ScheduleLoader.load(dir, LA);

    assertThat(schedule.sectionOfStudent("alice", at("2026-09-15", "08:10")).sourcedId())
        .isEqualTo("cls-alg");
    assertThat(schedule.sectionOfStudent("alice", at("2026-09-15", "09:00"))).isNull();
  }

  @Test
  void aPeriodRangeSuchAsOneToTwoMeetsInEachPeriod() {
    assertThat(schedule.sectionInRoom("rm102", at("2026-09-15", "08:10")).sourcedId())
        .isEqualTo("cls-bio");
    assertThat(schedule.sectionInRoom("RM102", at("2026-09-15", "09:00")).sourcedId())
        .isEqualTo("cls-bio");
  }

  @Test
  void lunchIsABellPeriodButNotInstructionalBecauseNoActiveClassUsesIt() {
    assertThat(schedule.periodAt(at("2026-09-15", "11:40")).map(p -> p.period().name()))
        .isEqualTo(Optional.of("Lunch"));
    assertThat(schedule.isInstructionalTime(at("2026-09-15", "11:40"))).isFalse();
    assertThat(schedule.isInstructionalTime(at("2026-09-15", "08:10"))).isTrue();
    assertThat(schedule.sectionInRoom("RM102", at("2026-09-15", "11:40"))).isNull();
  }

  @Test
  void aBrokenTimeNamesTheFileLineAndColumn() throws Exception {
    SiteFolder.write(
        dir.resolve("bells.csv"),
        "bell_schedule,period,start,end\nregular,1,08:00,08:50\nregular,2,8h55,09:45\n");
    assertThatThrownBy(() -> ScheduleLoader.load(dir, LA))
        .hasMessage(dir.resolve("bells.csv") + ":3:3: start: '8h55' is not a local time (HH:MM)");
  }

  @Test
  void overlappingPeriodsAreRefused() throws Exception {
    SiteFolder.write(
        dir.resolve("bells.csv"),
        "bell_schedule,period,start,end\nregular,1,08:00,08:50\nregular,2,08:45,09:45\n");
    assertThatThrownBy(() -> ScheduleLoader.load(dir, LA))
        .hasMessageContaining(":3:3: start: period 2 overlaps period 1");
  }

  @Test
  void aCalendarNamingAnUnknownBellScheduleIsRefused() throws Exception {
    SiteFolder.write(dir.resolve("calendar.csv"), "date,bell_schedule\n2026-09-16,rally\n");
    assertThatThrownBy(() -> ScheduleLoader.load(dir, LA))
        .hasMessage(
            dir.resolve("calendar.csv")
                + ":2:2: bell_schedule: 'rally' is not in bells.csv (nor 'none')");
  }

  @Test
  void aMissingColumnOrAnUnterminatedQuoteIsNamed() throws Exception {
    SiteFolder.write(dir.resolve("bells.csv"), "bell_schedule,period,start\nregular,1,08:00\n");
    assertThatThrownBy(() -> ScheduleLoader.load(dir, LA))
        .hasMessage(dir.resolve("bells.csv") + ":1: missing column 'end'");
    SiteFolder.write(
        dir.resolve("bells.csv"), "bell_schedule,period,start,end\nregular,\"1,08:00,08:50\n");
    assertThatThrownBy(() -> ScheduleLoader.load(dir, LA))
        .hasMessage(dir.resolve("bells.csv") + ":2: unterminated quoted field");
  }

  @Test
  void theDaylightSavingChangeDayStillReadsBellsInLocalTime() {
    // 2026-11-02 is the Monday after the change to PST: 08:10 local is 16:10 UTC (it was 15:10 in
    // PDT).
    assertThat(
            schedule
                .periodAt(java.time.Instant.parse("2026-11-02T16:10:00Z"))
                .map(p -> p.period().name()))
        .contains("1");
    assertThat(
            schedule
                .periodAt(java.time.Instant.parse("2026-10-30T15:10:00Z"))
                .map(p -> p.period().name()))
        .contains("1");
  }
}
