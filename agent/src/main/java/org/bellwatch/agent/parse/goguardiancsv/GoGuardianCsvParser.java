package org.bellwatch.agent.parse.goguardiancsv;

import static org.bellwatch.agent.parse.CsvReport.Field.ACTION;
import static org.bellwatch.agent.parse.CsvReport.Field.CATEGORY;
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
 * GoGuardian Admin blocked-attempts and browsing-history reports, exported as CSV. GoGuardian
 * filters in the browser (Chromebooks), so rows name a signed-in user but no client address.
 * Documented columns, in this default order: {@code Timestamp, Email, URL, Category, Block Type,
 * Action}; also accepted as header names: {@code Date}/{@code Date/Time}, {@code Student
 * Email}/{@code User}, {@code Domain}/ {@code Site}, {@code Blocked By}/{@code Rule}, {@code
 * Status}. Action values {@code Blocked}, {@code Allowed}; without an action column (the
 * blocked-attempts report) every row is a block. The block type (a category or a custom block rule)
 * is kept as the rule.
 */
public final class GoGuardianCsvParser implements LogParser {
  public static final String VENDOR = "goguardian_csv";
  static final CsvReport.Mapping MAPPING;

  static {
    Map<CsvReport.Field, List<String>> c = new LinkedHashMap<>();
    c.put(TIME, List.of("Timestamp", "Date", "Date/Time", "Time"));
    c.put(USER, List.of("Email", "Student Email", "User", "Student"));
    c.put(URL, List.of("URL", "Full URL"));
    c.put(CATEGORY, List.of("Category"));
    c.put(RULE, List.of("Block Type", "Blocked By", "Rule"));
    c.put(ACTION, List.of("Action", "Status"));
    c.put(HOST, List.of("Domain", "Site"));
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
                "blocked attempt",
                Action.BLOCKED),
            Action.BLOCKED);
  }

  private final CsvReport report;

  public GoGuardianCsvParser(ParseContext context) {
    this.report = new CsvReport(MAPPING, context.zone());
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    return report.parse(line);
  }
}
