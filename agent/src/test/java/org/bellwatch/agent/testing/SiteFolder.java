package org.bellwatch.agent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small, hand-written schedule folder for tests: one school, two rooms, three sections.
 *
 * <p>Bells (regular): 1 08:00-08:50, 2 08:55-09:45, Lunch 11:30-12:00. Calendar: 2026-09-16 minimum
 * (1 08:00-08:30), 2026-09-18 none. Term 2026-08-17..2027-06-11. Sections: cls-alg (Algebra I,
 * RM101, period 1, tchr ms.rivera), cls-bio (Biology, RM102, periods 1-2, mr.chen), cls-art (Art,
 * RM101, period 2, ms.rivera). Students: alice in cls-alg and cls-art; Bob in cls-bio. Names: Ana
 * Rivera (ms.rivera, arivera@school.example), Li Chen, Alice A, Bob B.
 */
public final class SiteFolder {
  private SiteFolder() {}

  public static Path write(Path dir) throws IOException {
    Path roster = Files.createDirectories(dir.resolve("oneroster"));
    // A byte-order mark, CRLF line ends, quoted fields and columns in another order: as SIS exports
    // look.
    write(
        roster.resolve("academicSessions.csv"),
        "\uFEFFsourcedId,status,dateLastModified,title,type,startDate,endDate\r\n"
            + "sy-2026,active,2026-07-01T00:00:00Z,2026-27,schoolYear,2026-08-17,2027-06-11\r\n"
            + "old,tobedeleted,2026-07-01T00:00:00Z,old,term,2020-01-01,2030-01-01\r\n");
    write(
        roster.resolve("courses.csv"),
        "sourcedId,status,title,courseCode\n"
            + "crs-alg,active,\"Algebra I, Part A\",ALG1\ncrs-bio,active,Biology,BIO\ncrs-art,active,Art,ART\n");
    write(
        roster.resolve("classes.csv"),
        "title,sourcedId,status,courseSourcedId,location,periods,termSourcedIds,extra\n"
            + "Algebra I - 1,cls-alg,active,crs-alg,RM101,1,sy-2026,x\n"
            + "Biology - 1,cls-bio,active,crs-bio,RM102,\"1-2\",sy-2026,x\n"
            + "Art - 2,cls-art,active,crs-art,RM101,2,sy-2026,x\n"
            + "Gone,cls-gone,tobedeleted,crs-art,RM102,Lunch,sy-2026,x\n");
    write(
        roster.resolve("users.csv"),
        "sourcedId,status,role,username,givenName,familyName,email\n"
            + "t1,active,teacher,ms.rivera,Ana,Rivera,arivera@school.example\nt2,active,teacher,mr.chen,Li,Chen,\n"
            + "s1,active,student,alice,Alice,A,\ns2,active,student,Bob,Bob,B,\n");
    write(
        roster.resolve("enrollments.csv"),
        "sourcedId,status,classSourcedId,userSourcedId,role,primary\n"
            + "e1,active,cls-alg,t1,teacher,true\ne2,active,cls-bio,t2,teacher,true\ne3,active,cls-art,t1,teacher,true\n"
            + "e4,active,cls-alg,s1,student,false\ne5,active,cls-art,s1,student,false\ne6,active,cls-bio,s2,student,false\n");
    write(
        dir.resolve("bells.csv"),
        "bell_schedule,period,start,end\n"
            + "regular,1,08:00,08:50\nregular,2,08:55,09:45\nregular,Lunch,11:30,12:00\nminimum,1,08:00,08:30\n");
    write(dir.resolve("calendar.csv"), "date,bell_schedule\n2026-09-16,minimum\n2026-09-18,none\n");
    return dir;
  }

  public static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
