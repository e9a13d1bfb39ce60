package org.bellwatch.agent.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.bellwatch.agent.event.Lease;
import org.bellwatch.agent.event.Times;

/**
 * The encoding of lease history records. Key: the record's start in epoch microseconds (8 bytes,
 * big-endian, so that keys sort by start and retention drops old records by range) then the address
 * (4 or 16 bytes). Value: a versioned JSON object, like the console's records; a renewal rewrites
 * the value under the same key.
 */
final class LeaseRecords {
  private static final int VERSION = 1;

  private LeaseRecords() {}

  static byte[] key(Lease l) {
    byte[] ip = l.ip().getAddress();
    return ByteBuffer.allocate(8 + ip.length).putLong(Times.epochMicros(l.start())).put(ip).array();
  }

  /** The smallest key of records that start at or after {@code t}. */
  static byte[] firstKeyAt(Instant t) {
    return ByteBuffer.allocate(8).putLong(Times.epochMicros(t)).array();
  }

  static byte[] value(Lease l) {
    return Records.bytes(
        Records.object(VERSION)
            .put("mac", l.mac())
            .put("hostname", l.hostname())
            .put("circuit_id", l.circuitId())
            .put("end", Times.epochMicros(l.end()))
            .put("evidence", l.evidence()));
  }

  static Lease read(byte[] key, byte[] value) throws StoreException {
    if (key.length != 12 && key.length != 24) {
      throw new StoreException(
          "store: lease record key has " + key.length + " bytes, expected 12 or 24", null);
    }
    JsonNode o = Records.read(value, VERSION, "lease");
    InetAddress ip;
    try {
      ip = InetAddress.getByAddress(Arrays.copyOfRange(key, 8, key.length));
    } catch (UnknownHostException e) {
      throw new StoreException("store: lease record key has no address", e);
    }
    String mac = Records.text(o, "mac");
    if (mac == null || !o.path("end").canConvertToLong()) {
      throw new StoreException(
          "store: lease record of " + ip.getHostAddress() + " lacks its MAC or end", null);
    }
    return new Lease(
        ip,
        mac,
        Records.text(o, "hostname"),
        Records.text(o, "circuit_id"),
        Times.ofEpochMicros(ByteBuffer.wrap(key).getLong()),
        Times.ofEpochMicros(o.path("end").asLong()),
        Records.text(o, "evidence"));
  }
}
