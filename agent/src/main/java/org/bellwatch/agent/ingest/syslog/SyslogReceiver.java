package org.bellwatch.agent.ingest.syslog;

import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import org.bellwatch.agent.config.SyslogListener;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.event.ParsedRecord;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.vendors.RecordParser;
import org.bellwatch.agent.parse.vendors.Vendor;

/**
 * Turns one framed syslog message into a filter event or a lease observation ({@link
 * ParsedRecord}), counting every outcome: text repair, then the listener's vendor parser on the
 * whole message. Vendor parsers read the syslog header themselves ({@link
 * org.bellwatch.agent.parse.SyslogHeader}), so a line parses the same from a socket as from a file.
 * One instance per channel (a UDP socket or a TCP connection), used only from that channel's event
 * loop, so a vendor parser that keeps state between lines (pairing a query with its answer) sees
 * one sender's lines in order and is never shared.
 *
 * <p>The vendor line is parsed here, on the Netty thread, not on the pipeline thread: parsing is
 * the costly, embarrassingly parallel part, and this spreads it over the event-loop threads (one
 * per UDP socket with SO_REUSEPORT), leaving the single pipeline thread for correlation.
 */
final class SyslogReceiver {
  private final SyslogListener cfg;
  private final BellwatchMeters meters;
  private final Clock clock;
  private final RecordParser parser;
  private final String vendor;
  private final String source;

  /** Looked up once: this is the one meter touched for every message. */
  private final Counter received;

  SyslogReceiver(SyslogListener cfg, BellwatchMeters meters, Clock clock) {
    this.cfg = cfg;
    this.meters = meters;
    this.clock = clock;
    Vendor v = Vendor.byId(cfg.vendor());
    if (v == null) {
      throw new IllegalArgumentException("unknown vendor " + cfg.vendor());
    }
    this.parser = RecordParser.of(v, new ParseContext(cfg.timezone(), clock, cfg.generic()));
    this.vendor = v.id();
    this.source = "syslog:" + cfg.name();
    this.received = meters.syslogReceivedCounter(cfg.name(), cfg.protocol());
  }

  /** The record carried by {@code frame}, or null when there is none (counted by reason). */
  ParsedRecord receive(byte[] frame) {
    return receive(frame, frame.length);
  }

  /**
   * The record carried by the first {@code length} bytes of {@code frame}; the array is not kept.
   */
  ParsedRecord receive(byte[] frame, int length) {
    received.increment();
    SyslogText.Clean text = SyslogText.decode(frame, 0, length);
    for (int bit = 0; bit < SyslogText.REASONS.length; bit++) {
      if ((text.defects() & (1 << bit)) != 0) {
        meters.syslogRepaired(cfg.name(), cfg.protocol(), SyslogText.REASONS[bit]);
      }
    }
    try {
      ParsedRecord event = parser.parse(text.text());
      if (event == null) {
        meters.logLine(vendor, "skipped");
      }
      return event;
    } catch (MalformedException e) {
      meters.malformedLine(vendor, source, e.reason(), text.text());
      return null;
    } catch (RuntimeException e) {
      // A parser bug must cost one line, never the listener.
      meters.malformedLine(vendor, source, "parser_error", text.text());
      return null;
    }
  }
}
