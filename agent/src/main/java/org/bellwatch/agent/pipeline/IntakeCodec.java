package org.bellwatch.agent.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.correlate.BlockEvidence;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.LeaseObservation;

/**
 * The payload of one intake journal record: a parsed syslog record ({@link FilterEvent} or {@link
 * LeaseObservation}, exactly as the listener's parser made it, so a vendor parser's state such as a
 * paired query is not needed again), or what a live capture gave ({@link BlockEvidence} from a DNS
 * answer, {@link CapturedDhcp}). Layout: a version byte, a kind byte, then the fields in
 * declaration order; a string is a length ({@code -1} for null) and UTF-8 bytes, an address a
 * length ({@code 0} for null) and its 4 or 16 bytes, an instant seconds and nanoseconds.
 */
final class IntakeCodec {
  static final int VERSION = 1;
  private static final int FILTER_EVENT = 1;
  private static final int LEASE_OBSERVATION = 2;
  private static final int BLOCK_EVIDENCE = 3;
  private static final int CAPTURED_DHCP = 4;

  private IntakeCodec() {}

  /**
   * A record the journal cannot read (a version from the future, or damage that passed the CRC).
   */
  static final class UnreadableException extends Exception {
    UnreadableException(String message) {
      super(message);
    }
  }

  static byte[] encode(Object record) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      if (record instanceof FilterEvent e) {
        out.writeByte(FILTER_EVENT);
        instant(out, e.time());
        address(out, e.clientIp());
        string(out, e.user());
        string(out, e.url());
        string(out, e.domain());
        string(out, e.category());
        out.writeByte(e.action().ordinal());
        string(out, e.vendor());
        string(out, e.method());
        string(out, e.rule());
        string(out, e.summary());
        string(out, e.raw());
      } else if (record instanceof LeaseObservation o) {
        out.writeByte(LEASE_OBSERVATION);
        instant(out, o.time());
        address(out, o.ip());
        string(out, o.mac());
        string(out, o.hostname());
        out.writeByte(o.kind().ordinal());
        optionalLong(out, o.leaseSecs());
        string(out, o.vendor());
        string(out, o.raw());
        strings(out, o.domains());
      } else if (record instanceof BlockEvidence b) {
        out.writeByte(BLOCK_EVIDENCE);
        instant(out, b.time());
        address(out, b.clientIp());
        string(out, b.domain());
        string(out, b.url());
        string(out, b.user());
        string(out, b.category());
        string(out, b.source());
        string(out, b.method());
        string(out, b.evidence());
      } else if (record instanceof CapturedDhcp c) {
        out.writeByte(CAPTURED_DHCP);
        instant(out, c.time());
        address(out, c.server());
        out.writeInt(c.msgType());
        string(out, c.chaddr());
        address(out, c.ciaddr());
        address(out, c.yiaddr());
        address(out, c.requestedIp());
        optionalLong(out, c.leaseSecs());
        string(out, c.hostname());
        string(out, c.relayCircuitId());
        string(out, c.domainName());
        strings(out, c.domainSearch());
      } else {
        throw new IllegalArgumentException("not an intake record: " + record.getClass().getName());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  static Object decode(byte[] payload) throws UnreadableException {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new UnreadableException(
            "journal record version " + version + " (this agent reads " + VERSION + ")");
      }
      int kind = in.readUnsignedByte();
      return switch (kind) {
        case FILTER_EVENT ->
            new FilterEvent(
                instant(in),
                address(in),
                string(in),
                string(in),
                string(in),
                string(in),
                Action.values()[in.readUnsignedByte()],
                string(in),
                string(in),
                string(in),
                string(in),
                string(in));
        case LEASE_OBSERVATION ->
            new LeaseObservation(
                instant(in),
                address(in),
                string(in),
                string(in),
                LeaseObservation.Kind.values()[in.readUnsignedByte()],
                optionalLong(in),
                string(in),
                string(in),
                strings(in));
        case BLOCK_EVIDENCE ->
            new BlockEvidence(
                instant(in),
                address(in),
                string(in),
                string(in),
                string(in),
                string(in),
                string(in),
                string(in),
                string(in));
        case CAPTURED_DHCP ->
            new CapturedDhcp(
                instant(in),
                address(in),
                in.readInt(),
                string(in),
                address(in),
                address(in),
                address(in),
                optionalLong(in),
                string(in),
                string(in),
                string(in),
                strings(in));
        default -> throw new UnreadableException("unknown journal record kind " + kind);
      };
    } catch (IOException | RuntimeException e) {
      throw new UnreadableException("damaged journal record: " + e);
    }
  }

  private static void instant(DataOutputStream out, Instant t) throws IOException {
    out.writeLong(t.getEpochSecond());
    out.writeInt(t.getNano());
  }

  private static Instant instant(DataInputStream in) throws IOException {
    return Instant.ofEpochSecond(in.readLong(), in.readInt());
  }

  private static void address(DataOutputStream out, InetAddress a) throws IOException {
    if (a == null) {
      out.writeByte(0);
    } else {
      byte[] b = a.getAddress();
      out.writeByte(b.length);
      out.write(b);
    }
  }

  private static InetAddress address(DataInputStream in) throws IOException {
    int n = in.readUnsignedByte();
    if (n == 0) {
      return null;
    }
    byte[] b = in.readNBytes(n);
    return InetAddress.getByAddress(b);
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
    } else {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b);
    }
  }

  private static String string(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    if (n > in.available()) {
      throw new IOException("string of " + n + " bytes past the record's end");
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  private static void optionalLong(DataOutputStream out, Long v) throws IOException {
    out.writeBoolean(v != null);
    if (v != null) {
      out.writeLong(v);
    }
  }

  private static Long optionalLong(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readLong() : null;
  }

  private static void strings(DataOutputStream out, List<String> list) throws IOException {
    out.writeInt(list == null ? -1 : list.size());
    if (list != null) {
      for (String s : list) {
        string(out, s);
      }
    }
  }

  private static List<String> strings(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    if (n > in.available()) {
      throw new IOException("list of " + n + " strings past the record's end");
    }
    List<String> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(string(in));
    }
    return list;
  }
}
