package org.bellwatch.agent.parse;

import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;

/**
 * A cloud filter's CSV report read as a log (Lightspeed, GoGuardian, Securly export reports, not
 * logs): one {@link Mapping} per product names, for each field, the column headers that carry it.
 * The header row maps columns by name, in any order and with extra columns; until one is seen (a
 * tailed file resumed after its header) the columns are taken in the mapping's documented order.
 * Stateful: make one per file.
 */
public final class CsvReport {
  /** The fields a report column can give, in a mapping's documented column order. */
  public enum Field {
    TIME,
    USER,
    CLIENT_IP,
    URL,
    HOST,
    CATEGORY,
    ACTION,
    RULE
  }

  /**
   * @param vendor the vendor id, also the prefix of malformed reasons
   * @param columns per field, the accepted header names (compared case-insensitively); the first
   *     name of each is the one our documentation gives, and the map's order is the default column
   *     order
   * @param actions action cell value (lower-case) to action
   * @param defaultAction action when the report has no action column or the cell is empty (a
   *     blocked-only report), or null to make such rows malformed
   */
  public record Mapping(
      String vendor,
      Map<Field, List<String>> columns,
      Map<String, Action> actions,
      Action defaultAction) {}

  /**
   * Date and time as these products' reports write them; times without an offset are the source's
   * zone.
   */
  private static final List<DateTimeFormatter> TIMES =
      List.of(
          DateTimeFormatter.ISO_DATE_TIME,
          DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]", Locale.ROOT),
          DateTimeFormatter.ofPattern("M/d/yyyy H:mm[:ss]", Locale.ROOT),
          DateTimeFormatter.ofPattern("M/d/yyyy h:mm[:ss] a", Locale.ROOT),
          DateTimeFormatter.ofPattern("MMM d, yyyy h:mm[:ss] a", Locale.ROOT));

  private final Mapping mapping;
  private final ZoneId zone;
  private final int[] index = new int[Field.values().length];

  public CsvReport(Mapping mapping, ZoneId zone) {
    this.mapping = mapping;
    this.zone = zone;
    Arrays.fill(index, -1);
    int i = 0;
    for (Field f : mapping.columns().keySet()) {
      index[f.ordinal()] = i++;
    }
  }

  /** A row as an event; null for blank lines and the header row (which re-maps the columns). */
  public FilterEvent parse(String line) throws MalformedException {
    String text = line.startsWith("\uFEFF") ? line.substring(1) : line;
    if (text.isBlank()) {
      return null;
    }
    List<String> cells = Csv.split(text.strip());
    if (isHeader(cells)) {
      header(cells);
      return null;
    }
    String v = mapping.vendor();
    String timeText = cell(cells, Field.TIME);
    if (timeText == null) {
      throw new MalformedException(v + "_no_time");
    }
    Instant time = instant(timeText);
    String ipText = cell(cells, Field.CLIENT_IP);
    InetAddress client = ipText == null ? null : AddressText.parseIp(ipText);
    if (ipText != null && client == null) {
      throw new MalformedException(v + "_bad_client_ip");
    }
    String url = cell(cells, Field.URL);
    String host = Domains.normalize(cell(cells, Field.HOST));
    if (host == null) {
      host = Domains.hostOfUrl(url);
    }
    if (host == null) {
      throw new MalformedException(v + "_no_url");
    }
    String actionText = cell(cells, Field.ACTION);
    Action action =
        actionText == null
            ? mapping.defaultAction()
            : mapping.actions().get(actionText.toLowerCase(Locale.ROOT));
    if (action == null) {
      throw new MalformedException(v + "_unknown_action");
    }
    String user = Users.normalize(cell(cells, Field.USER));
    String category = cell(cells, Field.CATEGORY);
    String rule = cell(cells, Field.RULE);
    String summary =
        (actionText == null ? action.id() : actionText)
            + " "
            + (url != null ? url : host)
            + (category == null ? "" : " category " + category)
            + (user == null ? "" : " user " + user);
    String method =
        action == Action.BLOCKED || action == Action.WARNED ? BlockMethod.FILTER_DENY : null;
    return new FilterEvent(
        time, client, user, url, host, category, action, v, method, rule, summary, line);
  }

  private boolean isHeader(List<String> cells) {
    List<String> timeNames = mapping.columns().get(Field.TIME);
    for (String c : cells) {
      String name = c.strip();
      for (String t : timeNames) {
        if (t.equalsIgnoreCase(name)) {
          return true;
        }
      }
    }
    return false;
  }

  private void header(List<String> cells) throws MalformedException {
    Arrays.fill(index, -1);
    for (Map.Entry<Field, List<String>> e : mapping.columns().entrySet()) {
      for (int i = 0; i < cells.size() && index[e.getKey().ordinal()] < 0; i++) {
        String name = cells.get(i).strip();
        for (String accepted : e.getValue()) {
          if (accepted.equalsIgnoreCase(name)) {
            index[e.getKey().ordinal()] = i;
            break;
          }
        }
      }
    }
    if (index[Field.URL.ordinal()] < 0 && index[Field.HOST.ordinal()] < 0) {
      throw new MalformedException(mapping.vendor() + "_header_without_url");
    }
  }

  private String cell(List<String> cells, Field f) {
    int i = index[f.ordinal()];
    return i < 0 ? null : Csv.at(cells, i);
  }

  private Instant instant(String text) throws MalformedException {
    for (DateTimeFormatter f : TIMES) {
      try {
        TemporalAccessor t = f.parseBest(text, ZonedDateTime::from, LocalDateTime::from);
        return t instanceof ZonedDateTime z
            ? z.toInstant()
            : ((LocalDateTime) t).atZone(zone).toInstant();
      } catch (DateTimeException e) {
        // try the next layout
      }
    }
    throw new MalformedException(mapping.vendor() + "_bad_time");
  }
}
