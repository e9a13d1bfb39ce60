package org.bellwatch.agent.schedule;

import java.nio.file.Path;
import java.time.ZoneId;

/** The schedule and device inventory of a site, loaded together from its schedule folder. */
public record SiteModel(SiteSchedule schedule, SiteInventory inventory) {
  /** Loads the folder, or an empty model (no school days, no inventory) when {@code dir} is null. */
  public static SiteModel load(Path dir, ZoneId zone) throws ScheduleException {
    if (dir == null) {
      return new SiteModel(SiteSchedule.empty(zone), SiteInventory.empty());
    }
    return new SiteModel(ScheduleLoader.load(dir, zone), SiteInventory.load(dir));
  }
}
