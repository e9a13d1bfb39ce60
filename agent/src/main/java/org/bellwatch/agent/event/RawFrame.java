package org.bellwatch.agent.event;

import java.nio.ByteBuffer;

/**
 * One captured link-layer frame as it came off the wire or out of a capture file.
 *
 * @param epochMicros capture time in microseconds since the Unix epoch (UTC)
 * @param linkType libpcap LINKTYPE_* value (1 Ethernet, 101 raw IP, 113 Linux SLL, 276 Linux SLL2)
 * @param bytes the captured bytes, position 0 to limit; a read-only view, never copied per packet
 */
public record RawFrame(long epochMicros, int linkType, ByteBuffer bytes) {
  public static final int LINKTYPE_ETHERNET = 1;
  public static final int LINKTYPE_RAW = 101;
  public static final int LINKTYPE_LINUX_SLL = 113;
  public static final int LINKTYPE_LINUX_SLL2 = 276;
}
