package org.bellwatch.agent.decode.dhcp6;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.MalformedException;

/**
 * Decodes one DHCPv6 message (RFC 8415) into a {@link Dhcp6Message}: the client/server header
 * (section 8), relay layers (section 9) down to the relayed message, and the options that bind
 * addresses to clients.
 *
 * <p>Options are type(2) length(2) value (section 21.1); one whose length runs past its container
 * is malformed. Relay layers nest at most {@link #HOP_COUNT_LIMIT} deep (section 7.6), so a crafted
 * message cannot recurse without bound. Fixed-length options with a wrong length (IA_NA, IA_TA, IA
 * Address) make the message malformed: they carry the binding, and a wrong length means we would be
 * guessing.
 */
public final class Dhcp6Decoder {
  /** RFC 8415 section 7.6: relay agents discard messages relayed more often. */
  static final int HOP_COUNT_LIMIT = 8;

  private static final int OPT_CLIENTID = 1;
  private static final int OPT_IA_NA = 3;
  private static final int OPT_IA_TA = 4;
  private static final int OPT_IAADDR = 5;
  private static final int OPT_RELAY_MSG = 9;
  private static final int OPT_INTERFACE_ID = 18;
  private static final int OPT_REMOTE_ID = 37;
  private static final int OPT_CLIENT_FQDN = 39;
  private static final int OPT_CLIENT_LINKLAYER = 79;
  private static final int HWTYPE_ETHERNET = 1;

  private Dhcp6Decoder() {}

  /**
   * Decodes the message in {@code payload} from its position to its limit; the buffer is not
   * changed.
   *
   * @throws MalformedException {@code dhcp6_truncated}, {@code dhcp6_option_truncated}, {@code
   *     dhcp6_bad_option_length}, {@code dhcp6_relay_too_deep}, {@code
   *     dhcp6_relay_without_message}, {@code dhcp6_bad_fqdn}
   */
  public static Dhcp6Message decode(ByteBuffer payload) throws MalformedException {
    byte[] m = new byte[payload.remaining()];
    payload.duplicate().get(m);
    List<Dhcp6Message.Relay> relays = new ArrayList<>();
    String clientLinkAddr = null;
    int from = 0;
    int to = m.length;
    int outer = -1;
    while (true) {
      if (to - from < 4) {
        throw new MalformedException("dhcp6_truncated");
      }
      int type = m[from] & 0xff;
      if (outer < 0) {
        outer = type;
      }
      if (type != Dhcp6Message.RELAY_FORW && type != Dhcp6Message.RELAY_REPL) {
        return message(m, from, to, outer, clientLinkAddr, relays);
      }
      if (relays.size() == HOP_COUNT_LIMIT) {
        throw new MalformedException("dhcp6_relay_too_deep");
      }
      // Section 9: msg-type(1) hop-count(1) link-address(16) peer-address(16) options.
      if (to - from < 34) {
        throw new MalformedException("dhcp6_truncated");
      }
      int[] inner = null;
      String interfaceId = null;
      String remoteId = null;
      for (int p = from + 34; p < to; ) {
        int[] o = option(m, p, to);
        int code = o[0];
        if (code == OPT_RELAY_MSG) {
          inner = new int[] {o[1], o[2]};
        } else if (code == OPT_INTERFACE_ID) {
          interfaceId = printableOrHex(m, o[1], o[2]);
        } else if (code == OPT_REMOTE_ID) {
          if (o[2] - o[1] < 4) {
            throw new MalformedException("dhcp6_bad_option_length");
          }
          remoteId =
              (ByteBuffer.wrap(m, o[1], 4).getInt() & 0xffffffffL)
                  + ":"
                  + printableOrHex(m, o[1] + 4, o[2]);
        } else if (code == OPT_CLIENT_LINKLAYER) {
          // RFC 6939 section 4: link-layer type(2) then the address; the innermost relay is nearest
          // the client.
          if (o[2] - o[1] == 8 && u16(m, o[1]) == HWTYPE_ETHERNET) {
            clientLinkAddr = AddressText.mac(m, o[1] + 2);
          }
        }
        p = o[2];
      }
      relays.add(
          new Dhcp6Message.Relay(
              type,
              m[from + 1] & 0xff,
              address(m, from + 2),
              address(m, from + 18),
              interfaceId,
              remoteId));
      if (inner == null) {
        throw new MalformedException("dhcp6_relay_without_message");
      }
      from = inner[0];
      to = inner[1];
    }
  }

  /** Section 8: msg-type(1) transaction-id(3) options. */
  private static Dhcp6Message message(
      byte[] m, int from, int to, int outer, String clientLinkAddr, List<Dhcp6Message.Relay> relays)
      throws MalformedException {
    int type = m[from] & 0xff;
    int xid = (m[from + 1] & 0xff) << 16 | (m[from + 2] & 0xff) << 8 | (m[from + 3] & 0xff);
    String duid = null;
    String duidMac = null;
    String fqdn = null;
    List<Dhcp6Message.IaAddress> addresses = new ArrayList<>();
    for (int p = from + 4; p < to; ) {
      int[] o = option(m, p, to);
      switch (o[0]) {
        case OPT_CLIENTID -> {
          duid = AddressText.hex(m, o[1], o[2] - o[1]);
          duidMac = duidLinkAddress(m, o[1], o[2]);
        }
        case OPT_IA_NA -> ia(m, o[1], o[2], 12, false, addresses);
        case OPT_IA_TA -> ia(m, o[1], o[2], 4, true, addresses);
        case OPT_CLIENT_FQDN -> fqdn = fqdn(m, o[1], o[2]);
        default -> {}
      }
      p = o[2];
    }
    return new Dhcp6Message(
        type, outer, xid, duid, duidMac, clientLinkAddr, fqdn, addresses, relays);
  }

  /**
   * IA_NA (section 21.4: IAID(4) T1(4) T2(4) options) or IA_TA (section 21.5: IAID(4) options); the
   * IA Address options inside (section 21.6: address(16) preferred(4) valid(4) options).
   */
  private static void ia(
      byte[] m, int from, int to, int fixed, boolean temporary, List<Dhcp6Message.IaAddress> out)
      throws MalformedException {
    if (to - from < fixed) {
      throw new MalformedException("dhcp6_bad_option_length");
    }
    long iaid = ByteBuffer.wrap(m, from, 4).getInt() & 0xffffffffL;
    for (int p = from + fixed; p < to; ) {
      int[] o = option(m, p, to);
      if (o[0] == OPT_IAADDR) {
        if (o[2] - o[1] < 24) {
          throw new MalformedException("dhcp6_bad_option_length");
        }
        ByteBuffer v = ByteBuffer.wrap(m, o[1] + 16, 8);
        out.add(
            new Dhcp6Message.IaAddress(
                address(m, o[1]),
                v.getInt() & 0xffffffffL,
                v.getInt() & 0xffffffffL,
                temporary,
                iaid));
      }
      p = o[2];
    }
  }

  /**
   * Section 11.2 DUID-LLT: type 1, hardware type(2), time(4), address; section 11.4 DUID-LL: type
   * 3, hardware type(2), address.
   */
  private static String duidLinkAddress(byte[] m, int from, int to) {
    if (to - from < 4 || u16(m, from + 2) != HWTYPE_ETHERNET) {
      return null;
    }
    int type = u16(m, from);
    if (type == 1 && to - from == 14) {
      return AddressText.mac(m, from + 8);
    }
    if (type == 3 && to - from == 10) {
      return AddressText.mac(m, from + 4);
    }
    return null;
  }

  /**
   * RFC 4704 section 4: flags(1), then the name in DNS wire format, uncompressed, possibly partial.
   */
  private static String fqdn(byte[] m, int from, int to) throws MalformedException {
    if (to - from < 1) {
      throw new MalformedException("dhcp6_bad_fqdn");
    }
    StringBuilder sb = new StringBuilder();
    int p = from + 1;
    while (p < to) {
      int len = m[p] & 0xff;
      if (len == 0) {
        break;
      }
      if (len > 63 || p + 1 + len > to) {
        throw new MalformedException("dhcp6_bad_fqdn");
      }
      sb.append(sb.length() > 0 ? "." : "")
          .append(new String(m, p + 1, len, StandardCharsets.UTF_8));
      p += 1 + len;
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  /** Section 21.1: {code, value start, value end} of the option at {@code p}. */
  private static int[] option(byte[] m, int p, int to) throws MalformedException {
    if (p + 4 > to) {
      throw new MalformedException("dhcp6_option_truncated");
    }
    int end = p + 4 + u16(m, p + 2);
    if (end > to) {
      throw new MalformedException("dhcp6_option_truncated");
    }
    return new int[] {u16(m, p), p + 4, end};
  }

  private static String printableOrHex(byte[] m, int from, int to) {
    for (int i = from; i < to; i++) {
      if (m[i] < 0x20 || m[i] > 0x7e) {
        return AddressText.hex(m, from, to - from);
      }
    }
    return new String(m, from, to - from, StandardCharsets.US_ASCII);
  }

  private static int u16(byte[] m, int at) {
    return (m[at] & 0xff) << 8 | (m[at + 1] & 0xff);
  }

  private static InetAddress address(byte[] m, int at) {
    try {
      return InetAddress.getByAddress(java.util.Arrays.copyOfRange(m, at, at + 16));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always a valid address", e);
    }
  }
}
