package org.bellwatch.agent.ingest.syslog;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.bellwatch.agent.config.SyslogListener;
import org.bellwatch.agent.decode.dhcp.DhcpDecoder;
import org.bellwatch.agent.decode.dns.DnsDecoder;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.net.Cidr;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.vendors.RecordParser;
import org.bellwatch.agent.parse.vendors.Vendor;

/**
 * The fuzz targets, without any fuzzing library: the Jazzer profile ({@code mvn -Pfuzz},
 * agent/src/fuzz) drives them with coverage-guided input, and {@link FuzzRegressionTest} replays
 * the inputs kept under {@code src/test/resources/fuzz/<target>/} in every default run. A target
 * returns normally or throws {@link MalformedException} (a named failure); any other exception, or
 * a frame over the limit, is a bug.
 */
public final class FuzzTargets {
  static final int MAX_FRAME = 2048;
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-09-20T00:00:00Z"), ZoneOffset.UTC);

  /** UTC, and a reference instant for year-less timestamps, as in the parser tests. */
  static final ParseContext CONTEXT =
      new ParseContext(ZoneOffset.UTC, java.time.InstantSource.fixed(CLOCK.instant()));

  private FuzzTargets() {}

  /** Target {@code dns}: one DNS message (RFC 1035 section 4). */
  public static void dns(byte[] message) {
    try {
      DnsDecoder.decode(ByteBuffer.wrap(message));
    } catch (MalformedException named) {
      // A counted reason, as the pipeline does.
    }
  }

  /** Target {@code dhcp}: one BOOTP/DHCP message (RFC 2131, RFC 2132). */
  public static void dhcp(byte[] message) {
    try {
      DhcpDecoder.decode(ByteBuffer.wrap(message));
    } catch (MalformedException named) {
      // A counted reason.
    }
  }

  /**
   * Target {@code syslog_framing}: a TCP byte stream cut at read boundaries chosen by its first
   * byte, framed (RFC 6587) and every frame parsed as a squid line behind a syslog header, as a
   * listener does.
   */
  public static void syslogFraming(byte[] stream) {
    BellwatchMeters meters = new BellwatchMeters(new SimpleMeterRegistry());
    SyslogListener cfg =
        new SyslogListener(
            "fuzz",
            "tcp",
            InetAddress.getLoopbackAddress(),
            0,
            "squid",
            List.of(Cidr.parse("127.0.0.0/8")),
            ZoneId.of("UTC"),
            MAX_FRAME,
            0,
            1,
            null,
            null);
    SyslogReceiver receiver = new SyslogReceiver(cfg, meters, CLOCK);
    EmbeddedChannel ch = new EmbeddedChannel(new SyslogFrameDecoder(MAX_FRAME, () -> {}));
    int step = stream.length == 0 ? 1 : 1 + (stream[0] & 0x3f);
    for (int at = 0; at < stream.length; at += step) {
      ch.writeInbound(Unpooled.wrappedBuffer(stream, at, Math.min(step, stream.length - at)));
    }
    ch.finish();
    byte[] frame;
    while ((frame = ch.readInbound()) != null) {
      if (frame.length > MAX_FRAME) {
        throw new IllegalStateException(
            "a frame of " + frame.length + " bytes passed the limit of " + MAX_FRAME);
      }
      receiver.receive(frame);
    }
  }

  /**
   * Target {@code vendor_lines}: one log line for one vendor's parser. The generic vendor has no
   * parser without a mapping (the configuration refuses it at start), so it is fuzzed under both
   * sample mappings.
   */
  public static void vendorLine(Vendor vendor, String line) {
    List<ParseContext> contexts =
        vendor == Vendor.GENERIC
            ? List.of(
                org.bellwatch.agent.parse.generic.GenericSamples.CHICAGO_REGEX,
                org.bellwatch.agent.parse.generic.GenericSamples.UTC_JSON)
            : List.of(CONTEXT);
    for (ParseContext context : contexts) {
      try {
        RecordParser.of(vendor, context).parse(line);
      } catch (MalformedException named) {
        // A counted reason and a dead letter.
      }
    }
  }

  /**
   * A vendor_lines input as kept on disk: the vendor id on the first line, the log line after it.
   */
  public static void vendorLine(byte[] file) {
    String text = new String(file, StandardCharsets.UTF_8);
    int nl = text.indexOf('\n');
    String id = nl < 0 ? text : text.substring(0, nl);
    Vendor v =
        java.util.Arrays.stream(Vendor.values())
            .filter(x -> x.id().equals(id))
            .findFirst()
            .orElseThrow(
                () -> new IllegalArgumentException("vendor_lines input names no vendor: " + id));
    vendorLine(v, nl < 0 ? "" : text.substring(nl + 1).replaceFirst("\n$", ""));
  }
}
