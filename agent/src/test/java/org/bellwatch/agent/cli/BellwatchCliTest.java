package org.bellwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bellwatch.agent.sim.SiteSimulator;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BellwatchCliTest {
  @TempDir Path dir;

  record Result(int status, String out, String err) {}

  static Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int status = BellwatchCli.execute(args);
      return new Result(
          status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void checkConfigAcceptsAFileWithOnlyTheTimezone() throws Exception {
    SiteFolder.write(dir.resolve("c.yaml"), "site: {timezone: America/Los_Angeles}\n");
    Result r = run("check-config", "--config", dir.resolve("c.yaml").toString());
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .startsWith("configuration ok: site 'Bellwatch site' in America/Los_Angeles");
  }

  @Test
  void anUnknownKeyIsOneLineOnStandardErrorAndExitStatusTwo() throws Exception {
    SiteFolder.write(dir.resolve("c.yaml"), "site:\n  timezone: UTC\n  tz: UTC\n");
    Result r = run("check-config", "--config", dir.resolve("c.yaml").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("bellwatch: " + dir.resolve("c.yaml") + ":3: site.tz: unknown key\n");
  }

  @Test
  void aMissingConfigFileIsExitStatusTwoWithoutAStackTrace() {
    Result r = run("run", "--config", dir.resolve("missing.yaml").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "bellwatch: " + dir.resolve("missing.yaml") + ": configuration file not found\n");
  }

  @Test
  void aHubWithoutADistrictItAccountIsExitStatusTwoNamingTheKey() throws Exception {
    SiteFolder.write(
        dir.resolve("hub.yaml"), "hub:\n  kafka: {bootstrap_servers: [127.0.0.1:9]}\n");
    Result r = run("hub", "--config", dir.resolve("hub.yaml").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "bellwatch: "
                + dir.resolve("hub.yaml")
                + ":2: hub.accounts: name at least one account with role district_it\n");
  }

  @Test
  void aHubWhoseMetricsPublicIsNotTrueOrFalseIsExitStatusTwoNamingTheKeyAndValue()
      throws Exception {
    SiteFolder.write(
        dir.resolve("hub.yaml"),
        "hub:\n  kafka: {bootstrap_servers: [127.0.0.1:9]}\n  metrics_public: maybe\n");
    Result r = run("hub", "--config", dir.resolve("hub.yaml").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "bellwatch: "
                + dir.resolve("hub.yaml")
                + ":3: hub.metrics_public: 'maybe' is not true or false\n");
  }

  @Test
  void aBrokenScheduleFolderIsExitStatusTwoNamingTheFileAndLine() throws Exception {
    SiteFolder.write(dir);
    SiteFolder.write(
        dir.resolve("bells.csv"), "bell_schedule,period,start,end\nregular,1,25:00,26:00\n");
    SiteFolder.write(dir.resolve("c.yaml"), "schedule: {dir: .}\n");
    Result r = run("check-config", "--config", dir.resolve("c.yaml").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "bellwatch: "
                + dir.resolve("bells.csv")
                + ":2:3: start: '25:00' is not a local time (HH:MM)\n");
  }

  @Test
  void decodeWritesOneJsonObjectPerLineWithNothingBetweenThemAndCountsThem() throws Exception {
    SiteSimulator.simulate(1, SiteSimulator.DEFAULT_DATE, dir);
    Result r = run("decode", "--pcap", dir.resolve("capture/site.pcap").toString(), "--out", "-");

    assertThat(r.status()).isZero();
    String[] lines = r.out().split("\n", -1);
    assertThat(lines.length)
        .isGreaterThan(100); // the sample day has thousands of DNS and DHCP messages
    assertThat(lines[lines.length - 1]).isEmpty(); // the output ends with a newline
    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper();
    for (int i = 0; i < lines.length - 1; i++) {
      // Before JsonOut, Jackson's root-value separator put a space before every line but the first.
      assertThat(lines[i]).startsWith("{\"time\":").endsWith("}");
      assertThat(mapper.readTree(lines[i]).get("proto").asText()).isIn("dns", "dhcp");
    }
    assertThat(r.err()).isEqualTo("bellwatch: decoded " + (lines.length - 1) + " messages\n");
  }

  @Test
  void replayRefusesAnUnknownVendorAndAMissingFile() {
    Result vendor = run("replay", "--log", "bluecoat=x.log", "--out", "-");
    assertThat(vendor.status()).isEqualTo(2);
    assertThat(vendor.err())
        .isEqualTo(
            "bellwatch: --log bluecoat=x.log: expected VENDOR=FILE with VENDOR one of "
                + org.bellwatch.agent.parse.vendors.Vendor.ids()
                + "\n");
    Result missing = run("replay", "--pcap", dir.resolve("none.pcap").toString(), "--out", "-");
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err())
        .isEqualTo(
            "bellwatch: "
                + dir.resolve("none.pcap")
                + ": capture file not found or not readable\n");
  }

  /**
   * Regression: decode of a file that is not a capture exited 1, where README says input errors
   * exit 2.
   */
  @Test
  void decodeOfAFileThatIsNotACaptureOrIsMissingIsAnInputErrorNamingTheFileAndWhy()
      throws Exception {
    SiteFolder.write(dir.resolve("not.pcap"), "hello, this is text");
    Result text = run("decode", "--pcap", dir.resolve("not.pcap").toString(), "--out", "-");
    assertThat(text)
        .isEqualTo(
            new Result(
                2,
                "",
                "bellwatch: "
                    + dir.resolve("not.pcap")
                    + ": not a pcap or pcapng file (unknown magic number 0x68656c6c)\n"));
    Result missing = run("decode", "--pcap", dir.resolve("none.pcap").toString(), "--out", "-");
    assertThat(missing)
        .isEqualTo(
            new Result(2, "", "bellwatch: " + dir.resolve("none.pcap") + ": no such file\n"));
    Result folder = run("decode", "--pcap", dir.toString(), "--out", "-");
    assertThat(folder)
        .isEqualTo(new Result(2, "", "bellwatch: " + dir + ": is a folder, not a file\n"));
  }

  // ---- issue 17, finding 9: inputs
  // ----------------------------------------------------------------

  static void mkfifo(Path p) throws Exception {
    Process mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
    assertThat(mk.waitFor()).as("mkfifo").isZero();
  }

  /**
   * Regression: check-config waited forever for a writer on a named pipe in the schedule folder.
   */
  @Test
  void aFifoWhereAScheduleFileShouldBeIsRefusedNamingItInsteadOfHanging() throws Exception {
    SiteFolder.write(dir);
    Files.delete(dir.resolve("calendar.csv"));
    mkfifo(dir.resolve("calendar.csv"));
    SiteFolder.write(dir.resolve("c.yaml"), "schedule: {dir: .}\n");

    Result r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () -> run("check-config", "--config", dir.resolve("c.yaml").toString()));

    assertThat(r)
        .isEqualTo(
            new Result(
                2,
                "",
                "bellwatch: "
                    + dir.resolve("calendar.csv")
                    + ": is a FIFO (named pipe), not a regular file; only regular files are read\n"));
  }

  @Test
  void aFifoGivenAsACaptureIsAnInputErrorNotAHang() throws Exception {
    mkfifo(dir.resolve("live.pcap"));

    Result r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () -> run("decode", "--pcap", dir.resolve("live.pcap").toString(), "--out", "-"));

    assertThat(r)
        .isEqualTo(
            new Result(
                2,
                "",
                "bellwatch: "
                    + dir.resolve("live.pcap")
                    + ": is a FIFO (named pipe), not a regular file; only regular files are read\n"));
  }

  /** Regression: a roster saved as Latin-1 said only "Input length = 1", naming no file or line. */
  /** check-config of the test site with one schedule file's bytes replaced. */
  Result checkSiteWith(String file, byte[] content) throws Exception {
    SiteFolder.write(dir);
    Files.write(dir.resolve(file), content);
    SiteFolder.write(dir.resolve("c.yaml"), "schedule: {dir: .}\n");
    return run("check-config", "--config", dir.resolve("c.yaml").toString());
  }

  @Test
  void aScheduleFileThatIsNotUtf8IsNamedWithItsLineAndSaysUtf8IsExpected() throws Exception {
    Result r =
        checkSiteWith(
            "oneroster/users.csv",
            ("sourcedId,status,role,username,givenName,familyName\n"
                    + "t1,active,teacher,ms.rivera,Ana,Rivera\nt2,active,teacher,mr.chen,Li,Chen\n"
                    + "s1,active,student,alice,Alice,Mu\u00f1oz\n")
                .getBytes(StandardCharsets.ISO_8859_1));

    assertThat(r)
        .isEqualTo(
            new Result(
                2,
                "",
                "bellwatch: "
                    + dir.resolve("oneroster/users.csv")
                    + ":4: byte 33 of the line (0xF1) is not UTF-8; expected UTF-8 (save or export the file as UTF-8, in a"
                    + " spreadsheet \"CSV UTF-8\")\n"));
  }

  /** Regression: a 2-field row in enrollments.csv was accepted, its missing cells read as empty. */
  @Test
  void aOneRosterRowWithFewerFieldsThanItsHeaderIsRefusedNamingTheFileAndLine() throws Exception {
    Result r =
        checkSiteWith(
            "oneroster/enrollments.csv",
            ("sourcedId,status,classSourcedId,userSourcedId,role,primary\n"
                    + "e1,active,cls-alg,t1,teacher,true\ne2,active\ne3,active,cls-art,t1,teacher,true\n")
                .getBytes(StandardCharsets.UTF_8));

    assertThat(r)
        .isEqualTo(
            new Result(
                2,
                "",
                "bellwatch: "
                    + dir.resolve("oneroster/enrollments.csv")
                    + ":3: 2 fields where the header has 6; every row needs one field per column (a row cut short, or a comma"
                    + " in a value that is not quoted)\n"));
  }

  /**
   * Regression: one bad record header in the middle of a capture made decode fail and write
   * nothing.
   */
  @Test
  void decodeReadsPastABadRecordHeaderMidCaptureWritingEverythingElseAndSayingWhatItSkipped()
      throws Exception {
    SiteSimulator.simulate(1, SiteSimulator.DEFAULT_DATE, dir);
    Path pcap = dir.resolve("capture/site.pcap");
    Result clean = run("decode", "--pcap", pcap.toString(), "--out", "-");
    byte[] bytes = Files.readAllBytes(pcap);
    // Walk the classic pcap's records to the middle one and give its header a captured length of
    // 2^31.
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.wrap(bytes)
            .order(
                bytes[0] == (byte) 0xd4
                    ? java.nio.ByteOrder.LITTLE_ENDIAN
                    : java.nio.ByteOrder.BIG_ENDIAN);
    List<Integer> starts = new java.util.ArrayList<>();
    for (int at = 24; at < bytes.length; at += 16 + b.getInt(at + 8)) {
      starts.add(at);
    }
    int middle = starts.get(starts.size() / 2);
    b.putInt(middle + 8, Integer.MIN_VALUE);
    Path damaged = dir.resolve("damaged.pcap");
    Files.write(damaged, bytes);

    Result r = run("decode", "--pcap", damaged.toString(), "--out", "-");

    assertThat(r.status()).isZero();
    List<String> all = clean.out().lines().toList();
    List<String> got = r.out().lines().toList();
    // The damaged record (one frame: at most one message) is all that is missing, in order
    // otherwise.
    assertThat(got.size()).isBetween(all.size() - 1, all.size());
    assertThat(all).containsSubsequence(got);
    assertThat(r.err())
        .startsWith("bellwatch: decoded " + got.size() + " messages")
        .endsWith(
            ", read past damage {bad_record_header=1} ("
                + (starts.get(starts.size() / 2 + 1) - middle)
                + " bytes skipped)\n");
  }

  /** Regression: replay with no input wrote nothing and exited 0. */
  @Test
  void replayWithoutAnyInputIsAnInputErrorSayingWhatToGive() {
    assertThat(run("replay", "--out", "-"))
        .isEqualTo(
            new Result(
                2,
                "",
                "bellwatch: replay: no input: give --pcap FILE"
                    + " or --log VENDOR=FILE, or a --config whose capture.pcap_files or logs.files name some\n"));
  }

  /**
   * Regression: run without --config started a real agent on the defaults (a store, port 8080, a
   * setup token).
   */
  @Test
  void runAndCheckConfigWithoutAConfigFileRefuseToStartOnDefaults() {
    for (String command : new String[] {"run", "check-config"}) {
      Result r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> run(command));
      assertThat(r)
          .isEqualTo(
              new Result(
                  2,
                  "",
                  "bellwatch: "
                      + command
                      + ": --config FILE is required (the package's is /etc/bellwatch/bellwatch.yaml)\n"));
    }
  }

  /** Regression: check-config passed (exit 0) with a capture file that does not exist. */
  @Test
  void checkConfigRefusesAnInputFileThatIsMissingOrNotAFileNamingTheKeyAndLine() throws Exception {
    Path config = dir.resolve("c.yaml");
    SiteFolder.write(config, "site: {timezone: UTC}\ncapture:\n  pcap_files: [day.pcap]\n");
    assertThat(run("check-config", "--config", config.toString()))
        .isEqualTo(
            new Result(
                2,
                "",
                "bellwatch: "
                    + config
                    + ":3: capture.pcap_files: '"
                    + dir.resolve("day.pcap")
                    + "' does not exist\n"));

    SiteFolder.write(config, "logs:\n  files:\n    - {vendor: squid, path: logs}\n");
    Files.createDirectory(dir.resolve("logs"));
    assertThat(run("check-config", "--config", config.toString()))
        .isEqualTo(
            new Result(
                2,
                "",
                "bellwatch: "
                    + config
                    + ":3: logs.files[0].path: '"
                    + dir.resolve("logs")
                    + "' is not a regular file (it is a folder)\n"));

    SiteFolder.write(config, "logs:\n  files:\n    - {vendor: squid, path: squid/access.log*}\n");
    assertThat(run("check-config", "--config", config.toString()))
        .isEqualTo(
            new Result(
                2,
                "",
                "bellwatch: "
                    + config
                    + ":3: logs.files[0].path: folder '"
                    + dir.resolve("squid")
                    + "' of 'access.log*' does not exist\n"));

    // A glob whose folder exists may match nothing yet; files that exist are fine.
    Files.createDirectory(dir.resolve("squid"));
    SiteFolder.write(dir.resolve("day.pcap"), "");
    SiteFolder.write(
        config,
        "capture: {pcap_files: [day.pcap]}\nlogs:\n  files:\n"
            + "    - {vendor: squid, path: squid/access.log*}\n");
    assertThat(run("check-config", "--config", config.toString()).status()).isZero();
  }

  @Test
  void simulateWritesASchoolScaleDayWhenAskedForOne() {
    Result r = run("simulate", "--scale", "small-school", "--out", dir.resolve("day").toString());
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .startsWith(
            "simulated SimulationSummary[devices="
                + SiteSimulator.Scale.SMALL_SCHOOL.devices()
                + ", ");
    // Only a school-scale day has the late DHCP server log and its own replay config.
    assertThat(dir.resolve("day/logs/dhcpd.log")).isRegularFile();
    assertThat(dir.resolve("day/bellwatch.yaml")).isRegularFile();
  }

  @Test
  void simulateWritesADayInTheTimeZoneAskedForAndRefusesOneThatIsNot() throws Exception {
    Result r =
        run(
            "simulate",
            "--scale",
            "small-school",
            "--timezone",
            "America/Denver",
            "--out",
            dir.resolve("day").toString());
    assertThat(r.status()).isZero();
    assertThat(Files.readString(dir.resolve("day/bellwatch.yaml")))
        .contains("  timezone: America/Denver\n");
    Result bad = run("simulate", "--timezone", "Mountain", "--out", dir.resolve("bad").toString());
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err())
        .isEqualTo(
            "bellwatch: --timezone: 'Mountain' is not an IANA time zone (such as"
                + " America/Denver)\n");
    assertThat(dir.resolve("bad")).doesNotExist();
  }

  @Test
  void simulateRefusesAnUnknownScaleNamingIt() {
    Result r = run("simulate", "--scale", "district", "--out", dir.resolve("day").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("bellwatch: --scale: 'district' is not sample, small-school, school or term\n");
    assertThat(dir.resolve("day")).doesNotExist();
  }

  @Test
  void simulateRefusesATermThatWouldEndOnAWeekend() {
    Result r =
        run(
            "simulate",
            "--scale",
            "term",
            "--date",
            "2026-12-05",
            "--out",
            dir.resolve("term").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "bellwatch: --date: 2026-12-05 is a saturday; a term ends on a school day"
                + " (Monday to Friday)\n");
    assertThat(dir.resolve("term")).doesNotExist();
  }

  @Test
  void replayNeedsAnOutputFileOrTheStore() {
    Result r = run("replay", "--pcap", dir.resolve("none.pcap").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("bellwatch: replay: give --out FILE, --store, or both\n");
  }

  @Test
  void replayIntoAStoreTheAgentHoldsIsExitStatusThreeNamingTheStore() throws Exception {
    Path site =
        Path.of(System.getProperty("bellwatch.repo", ".."))
            .resolve("config/sample-site")
            .toAbsolutePath();
    Path config = dir.resolve("c.yaml");
    SiteFolder.write(
        config,
        "site: {timezone: America/Los_Angeles}\n"
            + "schedule: {dir: "
            + site.resolve("schedule")
            + "}\n"
            + "capture: {pcap_files: ["
            + site.resolve("capture/site.pcap")
            + "]}\n"
            + "store: {dir: "
            + dir.resolve("state")
            + "}\n");
    try (var held =
        org.bellwatch.agent.store.EventStore.open(
            dir.resolve("state"), java.time.ZoneId.of("America/Los_Angeles"), false)) {
      Result r = run("replay", "--config", config.toString(), "--store");
      assertThat(r.status()).isEqualTo(3);
      assertThat(r.err()).startsWith("bellwatch: ").contains(dir.resolve("state").toString());
    }
  }
}
