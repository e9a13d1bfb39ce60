package org.bellwatch.agent.parse.generic;

import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Map;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.parse.GenericFormat;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.Samples;

/**
 * The two mappings our generic samples are written for (as the configuration loader would build
 * them).
 */
public final class GenericSamples {
  private GenericSamples() {}

  /** samples/generic/generic.log: a text log with local times in America/Chicago. */
  public static final GenericFormat REGEX =
      new GenericFormat(
          GenericFormat.compile(
              "^(?<time>\\S+ \\S+) (?<client_ip>\\S+) (?<user>\\S+) (?<action>\\S+) (?<url>\\S+)"
                  + " category=\"(?<category>[^\"]*)\" rule=\"(?<rule>[^\"]*)\"$"),
          Map.of(),
          "yyyy-MM-dd HH:mm:ss",
          Map.of(
              "block",
              Action.BLOCKED,
              "pass",
              Action.ALLOWED,
              "warn",
              Action.WARNED,
              "auth",
              Action.AUTH_CHALLENGE),
          null,
          BlockMethod.FILTER_DENY);

  /** samples/generic/generic-json.log: JSON lines with ISO-8601 UTC times. */
  public static final GenericFormat JSON =
      new GenericFormat(
          null,
          Map.of(
              "time",
              "ts",
              "client_ip",
              "src.ip",
              "user",
              "user.name",
              "url",
              "http.url",
              "host",
              "http.host",
              "action",
              "verdict",
              "category",
              "category",
              "rule",
              "policy"),
          "iso8601",
          Map.of("deny", Action.BLOCKED, "allow", Action.ALLOWED),
          null,
          BlockMethod.PROXY_DENY);

  public static final ParseContext CHICAGO_REGEX =
      new ParseContext(
          ZoneId.of("America/Chicago"),
          InstantSource.fixed(Instant.parse("2026-09-20T00:00:00Z")),
          REGEX);
  public static final ParseContext UTC_JSON = Samples.UTC.withGeneric(JSON);
}
