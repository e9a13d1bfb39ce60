package org.bellwatch.agent.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.schedule.ScheduleException;
import org.bellwatch.agent.schedule.SiteModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the site model in step with its schedule folder without a restart: when any file in the
 * folder changes (name, size or modification time), the folder is loaded again. A folder that no
 * longer loads keeps the last good model in force and reports the file, line and column until it is
 * fixed.
 */
public final class SiteReloader implements Supplier<SiteModel> {
  private static final Logger log = LoggerFactory.getLogger(SiteReloader.class);

  private final Path dir;
  private final ZoneId zone;
  private final BellwatchMeters meters;
  private volatile SiteModel current;
  private volatile String problem;
  private String fingerprint;

  public SiteReloader(Path dir, ZoneId zone, SiteModel initial, BellwatchMeters meters) {
    this.dir = dir;
    this.zone = zone;
    this.current = initial;
    this.meters = meters;
    this.fingerprint = dir == null ? "" : fingerprint(dir);
  }

  @Override
  public SiteModel get() {
    return current;
  }

  /** What is wrong with the folder now, or null when the model in force is what the folder says. */
  public String problem() {
    return problem;
  }

  /** Reloads when the folder changed since the last check. Called from the pipeline thread. */
  public void checkForChanges() {
    if (dir == null) {
      return;
    }
    String now = fingerprint(dir);
    if (now.equals(fingerprint)) {
      return;
    }
    fingerprint = now;
    try {
      current = SiteModel.load(dir, zone);
      problem = null;
      meters.scheduleReload("ok");
      log.info("schedule folder {} reloaded: {} sections", dir, current.schedule().sectionCount());
    } catch (ScheduleException e) {
      problem = e.getMessage();
      meters.scheduleReload("failed");
      log.error(
          "schedule folder changed but cannot be used, keeping the previous schedule: {}",
          e.getMessage());
    }
  }

  /**
   * Names, sizes and times of the files a schedule is made of: the folder's own CSV and iCalendar
   * files and those of {@code oneroster/}. Nothing else counts, so a store or log folder kept
   * inside the schedule folder (a test site does so) does not make every check a reload.
   */
  private static String fingerprint(Path dir) {
    StringBuilder sb = new StringBuilder();
    for (Path folder : new Path[] {dir, dir.resolve("oneroster")}) {
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (Stream<Path> files = Files.list(folder)) {
        files
            .filter(f -> isScheduleFile(f.getFileName().toString()) && Files.isRegularFile(f))
            .sorted()
            .forEach(
                f -> {
                  try {
                    sb.append(dir.relativize(f))
                        .append('|')
                        .append(Files.size(f))
                        .append('|')
                        .append(Files.getLastModifiedTime(f).toMillis())
                        .append('\n');
                  } catch (IOException e) {
                    sb.append(f).append("|unreadable\n");
                  }
                });
      } catch (IOException e) {
        sb.append("unreadable: ").append(e.getMessage());
      }
    }
    return sb.toString();
  }

  private static boolean isScheduleFile(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    return lower.endsWith(".csv") || lower.endsWith(".ics");
  }
}
