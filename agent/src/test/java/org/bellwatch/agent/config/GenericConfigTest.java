package org.bellwatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.parse.GenericFormat;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.generic.GenericParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenericConfigTest {
  @TempDir Path dir;

  BellwatchConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, "c.yaml", dir);
  }

  static final String REGEX_FILE =
      """
      logs:
        files:
          - vendor: generic
            path: filter.log
            generic:
              format: regex
              pattern: '^(?<time>\\S+ \\S+) (?<client_ip>\\S+) (?<action>\\S+) (?<url>\\S+)'
              time_format: yyyy-MM-dd HH:mm:ss
              actions:
                blocked: [BLOCK, Deny]
                allowed: [PASS]
              block_method: proxy-deny
      """;

  @Test
  void aRegexMappingOnALogFileLoadsWithLowerCasedActionValues() throws Exception {
    GenericFormat g = parse(REGEX_FILE).logs().files().get(0).generic();
    assertThat(g.json()).isFalse();
    assertThat(g.pattern().pattern())
        .isEqualTo("^(?<time>\\S+ \\S+) (?<clientip>\\S+) (?<action>\\S+) (?<url>\\S+)");
    assertThat(g.actions())
        .isEqualTo(Map.of("block", Action.BLOCKED, "deny", Action.BLOCKED, "pass", Action.ALLOWED));
    assertThat(g.timeFormat()).isEqualTo("yyyy-MM-dd HH:mm:ss");
    assertThat(g.defaultAction()).isNull();
    assertThat(g.blockMethod()).isEqualTo("proxy-deny");
  }

  @Test
  void aJsonMappingOnASyslogListenerLoadsWithItsDottedPaths() throws Exception {
    BellwatchConfig c =
        parse(
            """
        syslog:
          listeners:
            - name: json
              vendor: generic
              generic:
                format: json
                fields: {time: ts, client_ip: src.ip, host: dns.qname}
                time_format: epoch_millis
                default_action: blocked
        """);
    GenericFormat g = c.syslog().listeners().get(0).generic();
    assertThat(g)
        .isEqualTo(
            new GenericFormat(
                null,
                Map.of("time", "ts", "client_ip", "src.ip", "host", "dns.qname"),
                "epoch_millis",
                Map.of(),
                Action.BLOCKED,
                "filter-deny"));
  }

  @Test
  void mistakesInAGenericMappingStopTheStartNamingTheKeyAndLine() {
    assertThatThrownBy(() -> parse("logs: {files: [{vendor: generic, path: f.log}]}\n"))
        .hasMessage(
            "c.yaml:1: logs.files[0].generic: is required with vendor: generic (format and pattern or fields)");
    assertThatThrownBy(
            () -> parse("logs: {files: [{vendor: squid, path: f.log, generic: {format: json}}]}\n"))
        .hasMessage("c.yaml:1: logs.files[0].generic: only applies to vendor: generic");
    assertThatThrownBy(() -> parse(REGEX_FILE.replace("(?<time>", "(?<tim>")))
        .hasMessage("c.yaml:7: logs.files[0].generic.pattern: has no named group (?<time>...)");
    assertThatThrownBy(() -> parse(REGEX_FILE.replace("(?<url>\\S+)", "(?<url>\\S+")))
        .hasMessageStartingWith(
            "c.yaml:7: logs.files[0].generic.pattern: is not a valid regex: Unclosed group");
    assertThatThrownBy(() -> parse(REGEX_FILE.replace("yyyy-MM-dd", "yyyy-MM-dd bbb")))
        .hasMessageStartingWith(
            "c.yaml:8: logs.files[0].generic.time_format: 'yyyy-MM-dd bbb HH:mm:ss' is not");
    assertThatThrownBy(() -> parse(REGEX_FILE.replace("allowed: [PASS]", "allowed: [PASS, deny]")))
        .hasMessage(
            "c.yaml:10: logs.files[0].generic.actions.blocked: 'Deny' is also listed under allowed");
    assertThatThrownBy(() -> parse(REGEX_FILE.replace("allowed:", "permitted:")))
        .hasMessage("c.yaml:11: logs.files[0].generic.actions.permitted: unknown key");
    assertThatThrownBy(() -> parse(REGEX_FILE.replace("proxy-deny", "deny")))
        .hasMessageStartingWith(
            "c.yaml:12: logs.files[0].generic.block_method: 'deny' is not one of");
    assertThatThrownBy(() -> parse(REGEX_FILE.replace("format: regex", "format: xml")))
        .hasMessage("c.yaml:6: logs.files[0].generic.format: 'xml' is not (regex or json)");
    assertThatThrownBy(
            () ->
                parse(
                    "logs: {files: [{vendor: generic, path: f.log, generic: {format: json,"
                        + " fields: {time: ts, url: a..b}, default_action: blocked}}]}\n"))
        .hasMessage(
            "c.yaml:1: logs.files[0].generic.fields.url: 'a..b' is not a dotted path of keys such as source.ip");
    assertThatThrownBy(
            () ->
                parse(
                    "logs: {files: [{vendor: generic, path: f.log, generic: {format: json,"
                        + " fields: {time: ts, url: u, referer: r}, default_action: blocked}}]}\n"))
        .hasMessage("c.yaml:1: logs.files[0].generic.fields.referer: unknown key");
    assertThatThrownBy(
            () ->
                parse(
                    "logs: {files: [{vendor: generic, path: f.log, generic: {format: json,"
                        + " fields: {time: ts, url: u}}}]}\n"))
        .hasMessage(
            "c.yaml:1: logs.files[0].generic.actions: maps no value: list the logged action values, or set"
                + " default_action");
  }

  /**
   * The worked RFC 5424 example of config/bellwatch.reference.yaml, loaded as written there and
   * applied to the message it shows: the time comes from the header, the structured data is passed
   * over. README shows the same example.
   */
  @Test
  void theReferencesWorkedSyslogExampleReadsTheTimeFromTheRfc5424HeaderOfItsMessage()
      throws Exception {
    List<String> reference =
        Files.readAllLines(
            Path.of(
                System.getProperty("bellwatch.repo", ".."), "config", "bellwatch.reference.yaml"));
    int from = reference.indexOf("  #     - name: contentfilter");
    assertThat(from).as("the example listener in the reference").isPositive();
    StringBuilder yaml = new StringBuilder("syslog:\n  listeners:\n");
    String message = null;
    for (int i = from; i < reference.size() && reference.get(i).startsWith("  #   "); i++) {
      String line = reference.get(i).substring("  # ".length());
      if (i > from && line.startsWith("    - ")) {
        break;
      }
      Matcher m = Pattern.compile("^\\s+#\\s+(<\\d+>1 .*)$").matcher(line);
      if (m.matches()) {
        message = m.group(1);
      }
      yaml.append(line).append('\n');
    }
    SyslogListener l = parse(yaml.toString()).syslog().listeners().get(0);
    assertThat(message).as("the example message").isNotNull();

    assertThat(
            new GenericParser(new ParseContext(l.timezone(), InstantSource.system(), l.generic()))
                .parse(message))
        .isEqualTo(
            new FilterEvent(
                Instant.parse("2026-09-15T13:12:01Z"),
                AddressText.parseIp("10.20.3.44"),
                "s1234",
                "https://games.example.com/play",
                "games.example.com",
                null,
                Action.BLOCKED,
                "generic",
                "filter-deny",
                null,
                "BLOCK https://games.example.com/play user s1234",
                message));
    // README's worked example is this one: the same message and the same pattern.
    String readme =
        Files.readString(Path.of(System.getProperty("bellwatch.repo", ".."), "README.md"));
    Matcher pattern = Pattern.compile("pattern: (.*)").matcher(yaml);
    assertThat(pattern.find()).isTrue();
    assertThat(readme).contains("`" + message + "`").contains("`" + pattern.group(1) + "`");
  }
}
