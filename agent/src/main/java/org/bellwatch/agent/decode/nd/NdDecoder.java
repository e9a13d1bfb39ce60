package org.bellwatch.agent.decode.nd;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.MalformedException;

/**
 * Decodes the neighbor discovery messages of an ICMPv6 payload (RFC 4443 section 2.1 header, RFC
 * 4861 section 4 bodies) into an {@link NdMessage}; other ICMPv6 types give null (not ours).
 *
 * <p>Validation follows RFC 4861 sections 6.1 and 7.1.1 where the bytes alone can tell: the code
 * must be 0, the message at least its fixed length, every option length non-zero (section 4.6: a
 * zero length must be discarded, and would loop forever) and inside the message, NS/NA targets not
 * multicast. A link-layer address option other than 6 bytes (8 with its header) is kept out: it is
 * not Ethernet. The checksum is not verified (offload, see LinkDecoder); the hop limit of 255 is
 * the sender's guarantee that it is on the link, which a mirror port sees anyway.
 */
public final class NdDecoder {
  private static final int OPT_SOURCE_LL = 1;
  private static final int OPT_TARGET_LL = 2;
  private static final int OPT_PREFIX = 3;

  private NdDecoder() {}

  /**
   * The ND message in {@code icmp} (the ICMPv6 header and body, position 0 to limit), or null for
   * other ICMPv6 types.
   *
   * @throws MalformedException {@code icmpv6_truncated}, {@code nd_bad_code}, {@code nd_truncated},
   *     {@code nd_option_zero_length}, {@code nd_option_truncated}, {@code nd_bad_prefix_option},
   *     {@code nd_multicast_target}
   */
  public static NdMessage decode(ByteBuffer icmp) throws MalformedException {
    ByteBuffer b = icmp.slice();
    int end = b.limit();
    if (end < 4) {
      throw new MalformedException("icmpv6_truncated");
    }
    int type = b.get(0) & 0xff;
    int fixed;
    switch (type) {
      case NdMessage.ROUTER_SOLICITATION -> fixed = 8;
      case NdMessage.ROUTER_ADVERTISEMENT -> fixed = 16;
      case NdMessage.NEIGHBOR_SOLICITATION, NdMessage.NEIGHBOR_ADVERTISEMENT -> fixed = 24;
      default -> {
        return null;
      }
    }
    if ((b.get(1) & 0xff) != 0) {
      throw new MalformedException("nd_bad_code");
    }
    if (end < fixed) {
      throw new MalformedException("nd_truncated");
    }
    InetAddress target = null;
    if (fixed == 24) {
      byte[] t = new byte[16];
      b.get(8, t, 0, 16);
      if ((t[0] & 0xff) == 0xff) {
        throw new MalformedException("nd_multicast_target");
      }
      target = address(t);
    }
    int flags = b.get(4) & 0xff;
    boolean na = type == NdMessage.NEIGHBOR_ADVERTISEMENT;
    String sll = null;
    String tll = null;
    List<NdMessage.Prefix> prefixes = new ArrayList<>();
    int p = fixed;
    while (p < end) {
      if (p + 2 > end) {
        throw new MalformedException("nd_option_truncated");
      }
      int kind = b.get(p) & 0xff;
      int len = (b.get(p + 1) & 0xff) * 8;
      if (len == 0) {
        throw new MalformedException("nd_option_zero_length");
      }
      if (p + len > end) {
        throw new MalformedException("nd_option_truncated");
      }
      if ((kind == OPT_SOURCE_LL || kind == OPT_TARGET_LL) && len == 8) {
        byte[] mac = new byte[6];
        b.get(p + 2, mac, 0, 6);
        if (kind == OPT_SOURCE_LL) {
          sll = AddressText.mac(mac, 0);
        } else {
          tll = AddressText.mac(mac, 0);
        }
      } else if (kind == OPT_PREFIX && type == NdMessage.ROUTER_ADVERTISEMENT) {
        prefixes.add(prefix(b, p, len));
      }
      p += len;
    }
    return new NdMessage(
        type,
        target,
        type == NdMessage.ROUTER_ADVERTISEMENT || na && (flags & 0x80) != 0,
        na && (flags & 0x40) != 0,
        na && (flags & 0x20) != 0,
        type == NdMessage.ROUTER_ADVERTISEMENT ? b.getShort(6) & 0xffff : null,
        sll,
        tll,
        prefixes);
  }

  /**
   * RFC 4861 section 4.6.2: type(1) length(1)=4 prefix length(1) L|A flags(1) valid(4) preferred(4)
   * reserved(4) prefix(16).
   */
  private static NdMessage.Prefix prefix(ByteBuffer b, int p, int len) throws MalformedException {
    int bits = b.get(p + 2) & 0xff;
    if (len != 32 || bits > 128) {
      throw new MalformedException("nd_bad_prefix_option");
    }
    int flags = b.get(p + 3) & 0xff;
    byte[] a = new byte[16];
    b.get(p + 16, a, 0, 16);
    return new NdMessage.Prefix(
        address(a),
        bits,
        (flags & 0x80) != 0,
        (flags & 0x40) != 0,
        b.getInt(p + 4) & 0xffffffffL,
        b.getInt(p + 8) & 0xffffffffL);
  }

  private static InetAddress address(byte[] sixteen) {
    try {
      return InetAddress.getByAddress(sixteen);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always a valid address", e);
    }
  }
}
