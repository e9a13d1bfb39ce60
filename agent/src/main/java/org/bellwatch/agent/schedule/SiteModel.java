package org.bellwatch.agent.schedule;

import java.nio.file.Path;
import java.time.ZoneId;
import org.bellwatch.agent.csv.CsvFileException;
import org.bellwatch.agent.identity.SiteInventory;

/**
 * The schedule and device inventory of a site, loaded together from its schedule folder. The
 * inventory is {@code identity}'s (it knows devices, not time): the arrow runs from here to
 * identity, never back.
 */
public record SiteModel(SiteSchedule schedule, SiteInventory inventory) {
  /**
   * Loads the folder, or an empty model (no school days, no inventory) when {@code dir} is null.
   */
  public static SiteModel load(Path dir, ZoneId zone) throws ScheduleException {
    if (dir == null) {
      return new SiteModel(SiteSchedule.empty(zone), SiteInventory.empty());
    }
    SiteSchedule schedule = ScheduleLoader.load(dir, zone);
    try {
      return new SiteModel(schedule, SiteInventory.load(dir));
    } catch (CsvFileException e) {
      throw new ScheduleException(e.getMessage());
    }
  }
}
