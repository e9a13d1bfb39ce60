package org.bellwatch.agent.pipeline;

import java.nio.file.Path;
import java.time.ZoneId;
import org.bellwatch.agent.schedule.ScheduleException;
import org.bellwatch.agent.schedule.ScheduleLoader;
import org.bellwatch.agent.schedule.SiteInventory;
import org.bellwatch.agent.schedule.SiteSchedule;

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
