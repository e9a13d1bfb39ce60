package org.bellwatch.agent.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Writes the schedule folder (DESIGN.md "Public contracts", schedule folder): OneRoster 1.1 CSV the
 * way a SIS exports it (CRLF line ends, RFC 4180 quoting), {@code bells.csv} and {@code
 * calendar.csv}.
 */
final class ScheduleWriter {

  private static final String CRLF = "\r\n";

  private ScheduleWriter() {}

  static void write(School school, Path scheduleDir) throws IOException {
    Path or = scheduleDir.resolve("oneroster");
    Files.createDirectories(or);
    String modified = school.date.minusDays(1) + "T09:15:00.000Z";
    String yearId = "as-sy" + school.schoolYear;
    String termId = school.termId;
    String endYear = Integer.toString(school.schoolYear + 1);

    StringBuilder manifest = new StringBuilder();
    line(manifest, CRLF, "propertyName", "value");
    line(manifest, CRLF, "manifest.version", "1.0");
    line(manifest, CRLF, "oneroster.version", "1.1");
    for (String f :
        List.of(
            "academicSessions",
            "categories",
            "classes",
            "classResources",
            "courses",
            "courseResources",
            "demographics",
            "enrollments",
            "lineItems",
            "orgs",
            "resources",
            "results",
            "users")) {
      boolean present =
          List.of("academicSessions", "classes", "courses", "enrollments", "orgs", "users")
              .contains(f);
      line(manifest, CRLF, "file." + f, present ? "bulk" : "absent");
    }
    line(manifest, CRLF, "source.systemName", "Bellwatch Simulated SIS");
    line(manifest, CRLF, "source.systemCode", "bw-sim");
    write(or.resolve("manifest.csv"), manifest);

    StringBuilder sessions = new StringBuilder();
    line(
        sessions,
        CRLF,
        "sourcedId",
        "status",
        "dateLastModified",
        "title",
        "type",
        "startDate",
        "endDate",
        "parentSourcedId",
        "schoolYear");
    line(
        sessions,
        CRLF,
        yearId,
        "active",
        modified,
        school.schoolYear + "-" + endYear + " School Year",
        "schoolYear",
        school.yearStart.toString(),
        school.yearEnd.toString(),
        "",
        endYear);
    line(
        sessions,
        CRLF,
        termId,
        "active",
        modified,
        school.termTitle,
        "term",
        school.termStart.toString(),
        school.termEnd.toString(),
        yearId,
        endYear);
    String springId = "as-spring" + endYear;
    if (school.springStart != null) {
      line(
          sessions,
          CRLF,
          springId,
          "active",
          modified,
          "Spring " + endYear,
          "term",
          school.springStart.toString(),
          school.yearEnd.toString(),
          yearId,
          endYear);
    }
    write(or.resolve("academicSessions.csv"), sessions);
    // At school scale classes run all year: both terms, a quoted list as SIS exports write it.
    String classTerms = school.springStart == null ? termId : termId + "," + springId;
    String enrollmentEnd =
        school.springStart == null ? school.termEnd.toString() : school.yearEnd.toString();

    StringBuilder orgs = new StringBuilder();
    line(
        orgs,
        CRLF,
        "sourcedId",
        "status",
        "dateLastModified",
        "name",
        "type",
        "identifier",
        "parentSourcedId");
    line(orgs, CRLF, School.ORG_ID, "active", modified, School.ORG_NAME, "school", "BWMS", "");
    write(or.resolve("orgs.csv"), orgs);

    StringBuilder courses = new StringBuilder();
    line(
        courses,
        CRLF,
        "sourcedId",
        "status",
        "dateLastModified",
        "schoolYearSourcedId",
        "title",
        "courseCode",
        "grades",
        "orgSourcedId",
        "subjects");
    for (School.Course c : school.courses) {
      line(
          courses,
          CRLF,
          c.sourcedId(),
          "active",
          modified,
          yearId,
          c.title(),
          c.code(),
          "07",
          School.ORG_ID,
          c.subject());
    }
    write(or.resolve("courses.csv"), courses);

    StringBuilder classes = new StringBuilder();
    line(
        classes,
        CRLF,
        "sourcedId",
        "status",
        "dateLastModified",
        "title",
        "grades",
        "courseSourcedId",
        "classCode",
        "classType",
        "location",
        "schoolSourcedId",
        "termSourcedIds",
        "subjects",
        "periods");
    for (School.Section s : school.sections) {
      line(
          classes,
          CRLF,
          s.sourcedId(),
          "active",
          modified,
          s.title(),
          "07",
          s.course().sourcedId(),
          s.classCode(),
          "scheduled",
          s.room(),
          School.ORG_ID,
          classTerms,
          s.course().subject(),
          s.period());
    }
    write(or.resolve("classes.csv"), classes);

    StringBuilder users = new StringBuilder();
    line(
        users,
        CRLF,
        "sourcedId",
        "status",
        "dateLastModified",
        "enabledUser",
        "orgSourcedIds",
        "role",
        "username",
        "userIds",
        "givenName",
        "familyName",
        "middleName",
        "identifier",
        "email",
        "sms",
        "phone",
        "agentSourcedIds",
        "grades",
        "password");
    for (School.Person p : school.teachers) {
      userLine(users, p, modified);
    }
    for (School.Person p : school.coTeachers) {
      userLine(users, p, modified);
    }
    for (School.Person p : school.students) {
      userLine(users, p, modified);
    }
    write(or.resolve("users.csv"), users);

    StringBuilder enr = new StringBuilder();
    line(
        enr,
        CRLF,
        "sourcedId",
        "status",
        "dateLastModified",
        "classSourcedId",
        "schoolSourcedId",
        "userSourcedId",
        "role",
        "primary",
        "beginDate",
        "endDate");
    for (School.Section s : school.sections) {
      line(
          enr,
          CRLF,
          "enr-" + s.sourcedId() + "-" + s.teacher().sourcedId(),
          "active",
          modified,
          s.sourcedId(),
          School.ORG_ID,
          s.teacher().sourcedId(),
          "teacher",
          "true",
          school.termStart.toString(),
          enrollmentEnd);
      School.Person co = school.coTaught.get(s);
      if (co != null) {
        line(
            enr,
            CRLF,
            "enr-" + s.sourcedId() + "-" + co.sourcedId(),
            "active",
            modified,
            s.sourcedId(),
            School.ORG_ID,
            co.sourcedId(),
            "teacher",
            "false",
            school.termStart.toString(),
            enrollmentEnd);
      }
      for (School.Person p : school.roster(s)) {
        line(
            enr,
            CRLF,
            "enr-" + s.sourcedId() + "-" + p.sourcedId(),
            "active",
            modified,
            s.sourcedId(),
            School.ORG_ID,
            p.sourcedId(),
            "student",
            "false",
            school.termStart.toString(),
            enrollmentEnd);
      }
    }
    write(or.resolve("enrollments.csv"), enr);

    StringBuilder bells = new StringBuilder();
    line(bells, "\n", "bell_schedule", "period", "start", "end");
    for (School.Bell b : school.bells) {
      line(bells, "\n", b.schedule(), b.period(), b.start().toString(), b.end().toString());
    }
    write(scheduleDir.resolve("bells.csv"), bells);

    StringBuilder cal = new StringBuilder();
    line(cal, "\n", "date", "bell_schedule");
    for (Map.Entry<LocalDate, String> e : school.calendar.entrySet()) {
      line(cal, "\n", e.getKey().toString(), e.getValue());
    }
    write(scheduleDir.resolve("calendar.csv"), cal);
  }

  private static void userLine(StringBuilder sb, School.Person p, String modified) {
    line(
        sb,
        CRLF,
        p.sourcedId(),
        "active",
        modified,
        "true",
        School.ORG_ID,
        p.role(),
        p.username(),
        "",
        p.givenName(),
        p.familyName(),
        "",
        p.identifier(),
        p.username() + "@bellwatch-usd.org",
        "",
        "",
        "",
        p.grade(),
        "");
  }

  static void line(StringBuilder sb, String eol, String... fields) {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(quote(fields[i]));
    }
    sb.append(eol);
  }

  static String quote(String f) {
    if (f.indexOf(',') >= 0
        || f.indexOf('"') >= 0
        || f.indexOf('\n') >= 0
        || f.indexOf('\r') >= 0) {
      return '"' + f.replace("\"", "\"\"") + '"';
    }
    return f;
  }

  private static void write(Path p, StringBuilder content) throws IOException {
    Files.write(p, content.toString().getBytes(StandardCharsets.UTF_8));
  }
}
