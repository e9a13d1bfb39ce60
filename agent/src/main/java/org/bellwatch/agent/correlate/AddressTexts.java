package org.bellwatch.agent.correlate;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The text of client addresses, remembered: every attempt needs its address as text (output order
 * and the event's {@code client_ip}), the same few thousand addresses recur all day, and {@link
 * InetAddress#getHostAddress} builds a new string each time. Direct-mapped by the IPv4 address (a
 * colliding address replaces the slot); IPv6 addresses are formatted each time, in RFC 5952's
 * canonical form (the form a console search or a filter log uses, not Java's uncompressed one).
 */
final class AddressTexts {
  private static final int SLOTS = 4096;
  private final int[] addresses = new int[SLOTS];
  private final String[] texts = new String[SLOTS];

  String of(InetAddress ip) {
    if (!(ip instanceof Inet4Address)) {
      return org.bellwatch.agent.event.AddressText.address(ip);
    }
    int a = ip.hashCode(); // Inet4Address: the address as an int
    int slot = (a ^ (a >>> 12)) & (SLOTS - 1);
    String t = texts[slot];
    if (t != null && addresses[slot] == a) {
      return t;
    }
    t = ip.getHostAddress();
    addresses[slot] = a;
    texts[slot] = t;
    return t;
  }
}
