package org.bellwatch.agent.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.bellwatch.agent.event.AddressText;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}. A bare address is a block
 * of one ({@code /32} or {@code /128}). Host bits below the prefix are cleared, so {@code
 * 10.1.2.3/8} is {@code 10.0.0.0/8}. An IPv4 block never contains an IPv6 address and vice versa
 * (Java already turns IPv4-mapped IPv6 senders into IPv4 addresses).
 *
 * @param network the first address of the block
 * @param prefix prefix length in bits
 */
public record Cidr(InetAddress network, int prefix) {

  /**
   * Parses {@code address[/prefix]}; null when it is not an address literal with a valid prefix.
   */
  public static Cidr parse(String text) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    int slash = t.indexOf('/');
    InetAddress a = AddressText.parseIp(slash < 0 ? t : t.substring(0, slash));
    if (a == null) {
      return null;
    }
    int bits = a.getAddress().length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = t.substring(slash + 1);
      if (!p.matches("\\d{1,3}")) {
        return null;
      }
      prefix = Integer.parseInt(p);
      if (prefix > bits) {
        return null;
      }
    }
    byte[] b = a.getAddress();
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      b[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return new Cidr(InetAddress.getByAddress(b), prefix);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  public boolean contains(InetAddress address) {
    byte[] net = network.getAddress();
    byte[] a = address.getAddress();
    if (a.length != net.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      int mask = (0xff << (8 - keep)) & 0xff;
      if ((a[i] & mask) != (net[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefix;
  }
}
