package org.bellwatch.agent.schedule;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bellwatch.agent.util.InputFileException;
import org.bellwatch.agent.util.InputFiles;

/**
 * Days off from a district calendar exported as iCalendar ({@code calendar.ics}, RFC 5545).
 * District calendars mix closures with events on school days ("Back to School Night"), so only
 * all-day events whose SUMMARY matches {@link #DAYS_OFF} count: holidays, breaks, recesses,
 * closures, "no school".
 */
final class ICalendarDaysOff {
  static final Pattern DAYS_OFF =
      Pattern.compile(
          "(?i)\\b(no school|no students|holiday|break|recess|closed|closure|day off|vacation|non-student)\\b");
  private static final DateTimeFormatter BASIC = DateTimeFormatter.BASIC_ISO_DATE;

  private ICalendarDaysOff() {}

  static Set<LocalDate> read(Path file) throws ScheduleException {
    List<String> lines;
    try {
      lines = unfold(InputFiles.readUtf8(file).lines().toList());
    } catch (InputFileException e) {
      throw new ScheduleException(e.getMessage());
    } catch (IOException e) {
      throw new ScheduleException(file + ": cannot read: " + e.getMessage());
    }
    Set<LocalDate> days = new HashSet<>();
    boolean inEvent = false;
    String summary = null;
    LocalDate start = null;
    LocalDate end = null;
    int eventLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.equals("BEGIN:VEVENT")) {
        inEvent = true;
        summary = null;
        start = null;
        end = null;
        eventLine = i + 1;
      } else if (line.equals("END:VEVENT") && inEvent) {
        inEvent = false;
        if (start != null && summary != null && DAYS_OFF.matcher(summary).find()) {
          // DTEND of an all-day event is exclusive (RFC 5545 section 3.6.1); without it the event
          // is one day.
          // No closure lasts a year: refusing longer ranges bounds the work on a hostile file.
          LocalDate last = end == null ? start : end.minusDays(1);
          if (last.isBefore(start) || start.until(last).toTotalMonths() >= 12) {
            throw new ScheduleException(
                file + ":" + eventLine + ": event '" + summary + "' has an unusable date range");
          }
          for (LocalDate d = start; !d.isAfter(last); d = d.plusDays(1)) {
            days.add(d);
          }
        }
      } else if (inEvent) {
        String name = line.contains(":") ? line.substring(0, line.indexOf(':')) : line;
        String value = line.contains(":") ? line.substring(line.indexOf(':') + 1) : "";
        String prop = name.contains(";") ? name.substring(0, name.indexOf(';')) : name;
        switch (prop) {
          case "SUMMARY" -> summary = value.replace("\\,", ",").replace("\\;", ";");
          case "DTSTART" -> start = allDay(name, value, file, i + 1);
          case "DTEND" -> end = allDay(name, value, file, i + 1);
          default -> {}
        }
      }
    }
    return days;
  }

  /**
   * The date of an all-day value ({@code VALUE=DATE}); timed events are not days off and give null.
   */
  private static LocalDate allDay(String name, String value, Path file, int line)
      throws ScheduleException {
    if (!name.contains("VALUE=DATE") || name.contains("VALUE=DATE-TIME")) {
      return null;
    }
    try {
      return LocalDate.parse(value.trim(), BASIC);
    } catch (DateTimeParseException e) {
      throw new ScheduleException(file + ":" + line + ": '" + value + "' is not a date (YYYYMMDD)");
    }
  }

  /** RFC 5545 section 3.1: a line starting with a space or tab continues the previous one. */
  private static List<String> unfold(List<String> raw) {
    List<String> out = new ArrayList<>();
    for (String l : raw) {
      if ((l.startsWith(" ") || l.startsWith("\t")) && !out.isEmpty()) {
        out.set(out.size() - 1, out.get(out.size() - 1) + l.substring(1));
      } else {
        out.add(l.stripTrailing());
      }
    }
    return out;
  }
}
