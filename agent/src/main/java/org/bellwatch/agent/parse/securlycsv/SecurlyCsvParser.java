package org.bellwatch.agent.parse.securlycsv;

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
 * Securly web filter activity report, exported as CSV. Securly reports sites (host names) rather
 * than full URLs. Documented columns, in this default order: {@code Date, User, IP, Site, Category,
 * Status, Policy}; also accepted as header names: {@code Date/Time}/{@code Timestamp}, {@code
 * Email}/ {@code Username}, {@code IP Address}/{@code Client IP}, {@code Domain}, {@code URL},
 * {@code Action}, {@code Rule}. Status values {@code Blocked}/{@code Block}, {@code Allowed}/{@code
 * Allow}, and {@code Flagged} (allowed, but flagged for review: not a block).
 */
public final class SecurlyCsvParser implements LogParser {
  public static final String VENDOR = "securly_csv";
  static final CsvReport.Mapping MAPPING;

  static {
    Map<CsvReport.Field, List<String>> c = new LinkedHashMap<>();
    c.put(TIME, List.of("Date", "Date/Time", "Timestamp", "Time"));
    c.put(USER, List.of("User", "Email", "Username"));
    c.put(CLIENT_IP, List.of("IP", "IP Address", "Client IP"));
    c.put(HOST, List.of("Site", "Domain"));
    c.put(CATEGORY, List.of("Category"));
    c.put(ACTION, List.of("Status", "Action"));
    c.put(RULE, List.of("Policy", "Rule"));
    c.put(URL, List.of("URL"));
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
                "flagged",
                Action.ALLOWED),
            null);
  }

  private final CsvReport report;

  public SecurlyCsvParser(ParseContext context) {
    this.report = new CsvReport(MAPPING, context.zone());
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    return report.parse(line);
  }
}
