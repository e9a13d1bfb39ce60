package org.bellwatch.agent.parse.lightspeedcsv;

import static org.bellwatch.agent.parse.CsvReport.Field.ACTION;
import static org.bellwatch.agent.parse.CsvReport.Field.CATEGORY;
import static org.bellwatch.agent.parse.CsvReport.Field.CLIENT_IP;
import static org.bellwatch.agent.parse.CsvReport.Field.HOST;
import static org.bellwatch.agent.parse.CsvReport.Field.RULE;
import static org.bellwatch.agent.parse.CsvReport.Field.TIME;
import static org.bellwatch.agent.parse.CsvReport.Field.URL;
import static org.bellwatch.agent.parse.CsvReport.Field.USER;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.CsvReport;
import org.bellwatch.agent.parse.LogParser;
import org.bellwatch.agent.parse.ParseContext;

/**
 * Lightspeed Filter web activity report, exported as CSV. Documented columns, in this default
 * order: {@code Date/Time, User, IP Address, URL, Domain, Category, Action, Rule}; also accepted as
 * header names: {@code Timestamp}, {@code Username}/{@code Email}, {@code Device IP}/{@code Client
 * IP}, {@code Site}, {@code Status}, {@code Policy}/{@code Rule Set}. Action values {@code
 * Blocked}, {@code Allowed}, {@code Warned}/{@code Warning}; a report without an action column is a
 * blocked-only report.
 */
public final class LightspeedCsvParser implements LogParser {
  public static final String VENDOR = "lightspeed_csv";
  static final CsvReport.Mapping MAPPING;

  static {
    Map<CsvReport.Field, List<String>> c = new LinkedHashMap<>();
    c.put(TIME, List.of("Date/Time", "Timestamp", "Date Time", "Time"));
    c.put(USER, List.of("User", "Username", "Email"));
    c.put(CLIENT_IP, List.of("IP Address", "Device IP", "Client IP"));
    c.put(URL, List.of("URL", "Full URL"));
    c.put(HOST, List.of("Domain", "Site"));
    c.put(CATEGORY, List.of("Category"));
    c.put(ACTION, List.of("Action", "Status"));
    c.put(RULE, List.of("Rule", "Policy", "Rule Set"));
    MAPPING =
        new CsvReport.Mapping(
            VENDOR,
            c,
            Map.of(
                "blocked",
                Action.BLOCKED,
                "block",
                Action.BLOCKED,
                "allowed",
                Action.ALLOWED,
                "allow",
                Action.ALLOWED,
                "warned",
                Action.WARNED,
                "warning",
                Action.WARNED),
            Action.BLOCKED);
  }

  private final CsvReport report;

  public LightspeedCsvParser(ParseContext context) {
    this.report = new CsvReport(MAPPING, context.zone());
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    return report.parse(line);
  }
}
