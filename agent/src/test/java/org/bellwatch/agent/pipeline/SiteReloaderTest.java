package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteReloaderTest {
  static final ZoneId LA = ZoneId.of("America/Los_Angeles");
  // 2026-09-15 08:10 in Los Angeles: period 1 of the regular bells.
  static final Instant PERIOD_1 = Instant.parse("2026-09-15T15:10:00Z");
  @TempDir Path dir;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  static void touch(Path f, String text, long secondsLater) throws Exception {
    SiteFolder.write(f, text);
    // Modification times can be coarse: move them on explicitly so that every edit is seen.
    Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(secondsLater)));
  }

  @Test
  void anEditedScheduleFolderIsLoadedAgainWithoutARestart() throws Exception {
    SiteFolder.write(dir);
    SiteReloader reloader =
        new SiteReloader(dir, LA, SiteModel.load(dir, LA), new BellwatchMeters(registry));
    assertThat(reloader.get().schedule().sectionInRoom("RM101", PERIOD_1).sourcedId())
        .isEqualTo("cls-alg");

    touch(dir.resolve("calendar.csv"), "date,bell_schedule\n2026-09-15,none\n", 5);
    reloader.checkForChanges();

    assertThat(reloader.get().schedule().sectionInRoom("RM101", PERIOD_1)).isNull();
    assertThat(reloader.problem()).isNull();
    assertThat(registry.counter("bellwatch.schedule.reloads", "result", "ok").count()).isEqualTo(1);
  }

  @Test
  void aBrokenEditKeepsTheLastGoodScheduleAndSaysWhereUntilItIsFixed() throws Exception {
    SiteFolder.write(dir);
    SiteReloader reloader =
        new SiteReloader(dir, LA, SiteModel.load(dir, LA), new BellwatchMeters(registry));
    SiteModel before = reloader.get();

    touch(
        dir.resolve("bells.csv"),
        "bell_schedule,period,start,end\nregular,1,08:00,eight-fifty\n",
        5);
    reloader.checkForChanges();
    assertThat(reloader.get()).isSameAs(before);
    assertThat(reloader.problem())
        .isEqualTo(
            dir.resolve("bells.csv") + ":2:4: end: 'eight-fifty' is not a local time (HH:MM)");

    reloader.checkForChanges();
    assertThat(registry.counter("bellwatch.schedule.reloads", "result", "failed").count())
        .as("an unchanged broken folder is not reloaded again")
        .isEqualTo(1);

    touch(
        dir.resolve("bells.csv"),
        "bell_schedule,period,start,end\nregular,1,08:00,08:50\nminimum,1,08:00,08:30\n",
        10);
    reloader.checkForChanges();
    assertThat(reloader.problem()).isNull();
    assertThat(reloader.get()).isNotSameAs(before);
  }

  @Test
  void filesOutsideTheScheduleFilesSuchAsAStoreInsideTheFolderDoNotCauseAReload() throws Exception {
    SiteFolder.write(dir);
    SiteReloader reloader =
        new SiteReloader(dir, LA, SiteModel.load(dir, LA), new BellwatchMeters(registry));
    SiteModel before = reloader.get();

    Files.createDirectories(dir.resolve("store"));
    touch(dir.resolve("store").resolve("000042.sst"), "written by the store", 5);
    touch(dir.resolve("agent.log"), "a log line", 5);
    reloader.checkForChanges();

    assertThat(reloader.get()).isSameAs(before);
    assertThat(registry.find("bellwatch.schedule.reloads").counters())
        .allMatch(c -> c.count() == 0);
  }
}
