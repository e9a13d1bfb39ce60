package org.bellwatch.agent.parse;

import java.time.InstantSource;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * What a parser needs from its caller to turn a line's local time into an instant: the source's
 * time zone (for lines without an offset: RFC 3164 headers, FortiGate without {@code tz=}, Windows
 * DHCP) and a reference instant (for RFC 3164's missing year). Parsers read {@code reference} only
 * when a line has no year; nothing in {@code parse} reads a clock of its own.
 *
 * @param zone zone of the source's local times, from {@code logs.files[].timezone} or {@code
 *     site.timezone}
 * @param reference "now" for the source: the system clock for live sources, a fixed instant in
 *     tests and replays
 * @param generic the {@code generic} vendor's mapping from configuration; null for every other
 *     vendor
 */
public record ParseContext(ZoneId zone, InstantSource reference, GenericFormat generic) {
  public ParseContext {
    if (zone == null || reference == null) {
      throw new IllegalArgumentException("zone and reference are required");
    }
  }

  /** A context for every vendor but {@code generic}, which needs its {@link GenericFormat}. */
  public ParseContext(ZoneId zone, InstantSource reference) {
    this(zone, reference, null);
  }

  /** The same context with the {@code generic} vendor's mapping (null for other vendors). */
  public ParseContext withGeneric(GenericFormat format) {
    return new ParseContext(zone, reference, format);
  }

  /** UTC with a fixed reference: for tests and for formats whose lines carry full instants. */
  public static ParseContext utc(java.time.Instant reference) {
    return new ParseContext(ZoneOffset.UTC, InstantSource.fixed(reference));
  }
}
