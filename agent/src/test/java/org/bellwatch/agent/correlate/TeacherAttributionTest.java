package org.bellwatch.agent.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.identity.LeaseTable;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Teachers' own lessons: the test site's roster with co-teachers. cls-bio (RM102, periods 1-2) is
 * taught by mr.chen (primary) and ms.okafor (co-teacher); cls-art (RM101, period 2) by ms.rivera
 * and mr.diaz, whose period 1 is a planning period. ms.okafor's laptop is listed in devices.csv
 * with her as its owner.
 */
class TeacherAttributionTest {
  static final String LAPTOP = "aa:bb:cc:00:00:0f";
  @TempDir Path dir;
  final LeaseTable leases = new LeaseTable();
  Attributor attributor;

  @BeforeEach
  void setUp() throws Exception {
    SiteFolder.write(dir);
    Path roster = dir.resolve("oneroster");
    SiteFolder.write(
        roster.resolve("users.csv"),
        "sourcedId,status,role,username,givenName,familyName,email\n"
            + "t1,active,teacher,ms.rivera,Ana,Rivera,arivera@school.example\nt2,active,teacher,mr.chen,Li,Chen,\n"
            + "t3,active,teacher,ms.okafor,Ngozi,Okafor,nokafor@school.example\nt4,active,teacher,mr.diaz,Raul,Diaz,\n"
            + "s1,active,student,alice,Alice,A,\ns2,active,student,Bob,Bob,B,\n");
    SiteFolder.write(
        roster.resolve("enrollments.csv"),
        "sourcedId,status,classSourcedId,userSourcedId,role,primary\n"
            + "e1,active,cls-alg,t1,teacher,true\ne2,active,cls-bio,t2,teacher,true\ne3,active,cls-art,t1,teacher,true\n"
            + "e7,active,cls-bio,t3,teacher,false\ne8,active,cls-art,t4,teacher,false\n"
            + "e4,active,cls-alg,s1,student,false\ne5,active,cls-art,s1,student,false\ne6,active,cls-bio,s2,student,false\n");
    SiteFolder.write(
        dir.resolve("devices.csv"),
        "mac,hostname,room,asset_tag,owner\n"
            + "AA-BB-CC-00-00-0F,,,T-15,NOKAFOR@school.example\n");
    SiteModel site = SiteModel.load(dir, CorrelatorTest.LA);
    attributor =
        new Attributor(leases, () -> site, Pattern.compile(ConfigLoader.DEFAULT_ROOM_PATTERN));
  }

  private static Instant at(String time) {
    return CorrelatorTest.at(time);
  }

  private BlockEvent proxyDeny(String time, String client, String user) throws Exception {
    return attributor.attribute(
        List.of(
            new BlockEvidence(
                at(time),
                InetAddress.getByName(client),
                "video.example",
                "https://video.example/lesson",
                user,
                "Streaming",
                "squid",
                "proxy-deny",
                "squid: TCP_DENIED/403")));
  }

  @Test
  void eachCoTeachersBlockInTheirOwnSectionIsInstructionalForItAndMarkedAsBlockedWhileTeaching()
      throws Exception {
    leases.acknowledge(
        InetAddress.getByName("10.0.2.5"),
        "aa:bb:cc:00:00:21",
        "RM102-T",
        at("07:30"),
        36000,
        "ack");

    BlockEvent primary = proxyDeny("08:10", "10.0.2.5", "mr.chen");
    BlockEvent coTeacher = proxyDeny("09:00", "10.0.2.5", "nokafor@school.example");

    String dhcp =
        "dhcp: 10.0.2.5 leased to aa:bb:cc:00:00:21 (RM102-T) from 2026-09-15T14:30:00.000Z until "
            + "2026-09-16T00:30:00.000Z; ack";
    assertThat(primary)
        .isEqualTo(
            new BlockEvent(
                at("08:10"),
                "10.0.2.5",
                "aa:bb:cc:00:00:21",
                "RM102-T",
                "mr.chen",
                "video.example",
                "https://video.example/lesson",
                "Streaming",
                "squid",
                "proxy-deny",
                "RM102",
                "cls-bio",
                "Biology",
                "mr.chen",
                "1",
                true,
                true,
                List.of(
                    "squid: TCP_DENIED/403",
                    dhcp,
                    "room: host name RM102-T names room RM102",
                    "schedule: 2026-09-15 runs 'regular', period 1 08:00-08:50 America/Los_Angeles",
                    "section: user mr.chen teaches cls-bio (Biology (Period 1, 2, RM102)) in session 08:00-08:50;"
                        + " blocked while teaching")));
    assertThat(coTeacher)
        .isEqualTo(
            new BlockEvent(
                at("09:00"),
                "10.0.2.5",
                "aa:bb:cc:00:00:21",
                "RM102-T",
                "ms.okafor",
                "video.example",
                "https://video.example/lesson",
                "Streaming",
                "squid",
                "proxy-deny",
                "RM102",
                "cls-bio",
                "Biology",
                "ms.okafor",
                "2",
                true,
                true,
                List.of(
                    "squid: TCP_DENIED/403",
                    dhcp,
                    "room: host name RM102-T names room RM102",
                    "schedule: 2026-09-15 runs 'regular', period 2 08:55-09:45 America/Los_Angeles",
                    "section: user ms.okafor teaches cls-bio (Biology (Period 1, 2, RM102)) in session 08:55-09:45;"
                        + " blocked while teaching")));
  }

  @Test
  void aBlockFromATeachersOwnLaptopWithNoUserLoggedIsTheirsThroughTheDevicesCsvOwner()
      throws Exception {
    leases.acknowledge(
        InetAddress.getByName("10.0.9.15"), LAPTOP, "okafor-laptop", at("07:30"), 36000, "ack");

    BlockEvent e =
        attributor.attribute(
            List.of(
                new BlockEvidence(
                    at("08:20"),
                    InetAddress.getByName("10.0.9.15"),
                    "video.example",
                    null,
                    null,
                    null,
                    "dns",
                    "dns-sinkhole",
                    "dns: sinkhole")));

    assertThat(e)
        .isEqualTo(
            new BlockEvent(
                at("08:20"),
                "10.0.9.15",
                LAPTOP,
                "okafor-laptop",
                null,
                "video.example",
                null,
                null,
                "dns",
                "dns-sinkhole",
                null,
                "cls-bio",
                "Biology",
                "ms.okafor",
                "1",
                true,
                true,
                List.of(
                    "dns: sinkhole",
                    "dhcp: 10.0.9.15 leased to aa:bb:cc:00:00:0f (okafor-laptop) from "
                        + "2026-09-15T14:30:00.000Z until 2026-09-16T00:30:00.000Z; ack",
                    "room: host name okafor-laptop gives 'okafor', which is not a room in the roster",
                    "schedule: 2026-09-15 runs 'regular', period 1 08:00-08:50 America/Los_Angeles",
                    "owner: devices.csv assigns aa:bb:cc:00:00:0f to NOKAFOR@school.example",
                    "section: devices.csv owner ms.okafor teaches cls-bio (Biology (Period 1, 2, RM102)) in session"
                        + " 08:00-08:50; blocked while teaching")));
  }

  @Test
  void aTeachersBlockInTheirPlanningPeriodIsNotInstructional() throws Exception {
    leases.acknowledge(
        InetAddress.getByName("10.0.9.40"),
        "aa:bb:cc:00:00:40",
        "staffroom-2",
        at("07:30"),
        36000,
        "ack");

    BlockEvent e = proxyDeny("08:10", "10.0.9.40", "mr.diaz");

    assertThat(e)
        .isEqualTo(
            new BlockEvent(
                at("08:10"),
                "10.0.9.40",
                "aa:bb:cc:00:00:40",
                "staffroom-2",
                "mr.diaz",
                "video.example",
                "https://video.example/lesson",
                "Streaming",
                "squid",
                "proxy-deny",
                null,
                null,
                null,
                null,
                "1",
                false,
                false,
                List.of(
                    "squid: TCP_DENIED/403",
                    "dhcp: 10.0.9.40 leased to aa:bb:cc:00:00:40 "
                        + "(staffroom-2) from 2026-09-15T14:30:00.000Z until 2026-09-16T00:30:00.000Z; ack",
                    "room: host name staffroom-2 gives 'staffroom', which is not a room in the roster",
                    "schedule: 2026-09-15 runs 'regular', period 1 08:00-08:50 America/Los_Angeles",
                    "planning: mr.diaz teaches no section in session",
                    "no section in session for user mr.diaz")));
  }

  @Test
  void aTeacherInTheirPlanningPeriodInARoomWhereAClassMeetsCountsForThatClassButNotAsTeachingIt()
      throws Exception {
    // Most often a teacher covering the class: the block stopped its work, but the roster does not
    // say they teach it.
    leases.acknowledge(
        InetAddress.getByName("10.0.2.9"),
        "aa:bb:cc:00:00:29",
        "RM102-CB09",
        at("07:30"),
        36000,
        "ack");

    BlockEvent e = proxyDeny("08:10", "10.0.2.9", "mr.diaz");

    assertThat(e)
        .isEqualTo(
            new BlockEvent(
                at("08:10"),
                "10.0.2.9",
                "aa:bb:cc:00:00:29",
                "RM102-CB09",
                "mr.diaz",
                "video.example",
                "https://video.example/lesson",
                "Streaming",
                "squid",
                "proxy-deny",
                "RM102",
                "cls-bio",
                "Biology",
                "mr.chen",
                "1",
                true,
                false,
                List.of(
                    "squid: TCP_DENIED/403",
                    "dhcp: 10.0.2.9 leased to "
                        + "aa:bb:cc:00:00:29 (RM102-CB09) from 2026-09-15T14:30:00.000Z until 2026-09-16T00:30:00.000Z; ack",
                    "room: host name RM102-CB09 names room RM102",
                    "schedule: 2026-09-15 runs 'regular', period 1 08:00-08:50 America/Los_Angeles",
                    "planning: mr.diaz teaches no section in session; the room's section counts (a teacher covering a class)",
                    "section: room RM102 has cls-bio (Biology - 1, mr.chen) in session")));
  }

  @Test
  void aTeachersOwnSectionWinsOverTheSectionInTheRoomOfTheDevice() throws Exception {
    leases.acknowledge(
        InetAddress.getByName("10.0.1.7"),
        "aa:bb:cc:00:00:07",
        "RM101-CB07",
        at("07:30"),
        36000,
        "ack");

    BlockEvent e = proxyDeny("09:00", "10.0.1.7", "ms.okafor");

    assertThat(e.section()).isEqualTo("cls-bio");
    assertThat(e.teacher()).isEqualTo("ms.okafor");
    assertThat(e.whileTeaching()).isTrue();
    assertThat(e.evidence())
        .endsWith(
            "section: user ms.okafor teaches cls-bio (Biology (Period 1, 2, RM102)) in session 08:55-09:45;"
                + " blocked while teaching",
            "conflict: room RM101 has cls-art (Art - 2, ms.rivera) in session; the teacher's own section wins");
  }

  @Test
  void aLoggedStudentOnATeachersLaptopIsTheStudentNotTheLaptopsOwner() throws Exception {
    leases.acknowledge(
        InetAddress.getByName("10.0.9.15"), LAPTOP, "okafor-laptop", at("07:30"), 36000, "ack");

    BlockEvent e = proxyDeny("09:00", "10.0.9.15", "alice");

    assertThat(e)
        .extracting(
            BlockEvent::user,
            BlockEvent::section,
            BlockEvent::teacher,
            BlockEvent::instructional,
            BlockEvent::whileTeaching)
        .containsExactly("alice", "cls-art", "ms.rivera", true, false);
    assertThat(e.evidence()).noneMatch(line -> line.startsWith("owner: "));
  }
}
