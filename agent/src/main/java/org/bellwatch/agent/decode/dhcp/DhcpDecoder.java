package org.bellwatch.agent.decode.dhcp;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.DomainSearch;
import org.bellwatch.agent.event.MalformedException;

/**
 * Decodes one DHCPv4 message (RFC 2131 section 2, options per RFC 2132) into a {@link DhcpMessage}.
 *
 * <p>Options are collected from the options field and, when option 52 (overload, RFC 2132 section
 * 9.3) says so, from the {@code file} and then the {@code sname} field; several instances of one
 * option are concatenated in that order (RFC 3396 section 7). A missing End option is tolerated (it
 * is common and the length bytes still frame every option); an option whose length runs past its
 * field is malformed. Single-value options with a wrong length (50, 51, 53, 54) make the message
 * malformed too: they carry the identity facts, and a wrong length means we would be guessing.
 */
public final class DhcpDecoder {
  private static final int FIXED_LEN = 236;
  private static final int COOKIE = 0x63825363; // 99.130.83.99, RFC 2131 section 3
  private static final int OPT_PAD = 0;
  private static final int OPT_END = 255;
  private static final int OPT_OVERLOAD = 52;

  private DhcpDecoder() {}

  /**
   * Decodes the message in {@code payload} from its position to its limit; the buffer is not
   * changed.
   *
   * @throws MalformedException with reasons such as {@code dhcp_truncated_header}, {@code
   *     dhcp_bad_cookie}, {@code dhcp_option_truncated}, {@code dhcp_bad_option_length}, {@code
   *     dhcp_bad_fqdn}, {@code dhcp_bad_relay_option}, {@code dhcp_bad_hlen}, {@code
   *     dhcp_bad_domain_search}
   */
  public static DhcpMessage decode(ByteBuffer payload) throws MalformedException {
    ByteBuffer b = payload.slice();
    int end = b.limit();
    if (end < FIXED_LEN) {
      throw new MalformedException("dhcp_truncated_header");
    }
    if (end < FIXED_LEN + 4 || b.getInt(FIXED_LEN) != COOKIE) {
      throw new MalformedException("dhcp_bad_cookie");
    }
    int op = b.get(0) & 0xff;
    int htype = b.get(1) & 0xff;
    int hlen = b.get(2) & 0xff;
    long xid = b.getInt(4) & 0xffffffffL;
    if (hlen > 16) {
      throw new MalformedException("dhcp_bad_hlen");
    }
    byte[] fixed = new byte[FIXED_LEN];
    b.get(0, fixed, 0, FIXED_LEN);

    byte[][] opts = new byte[256][];
    parseOptions(b, FIXED_LEN + 4, end, opts, true);
    int overload = 0;
    if (opts[OPT_OVERLOAD] != null) {
      if (opts[OPT_OVERLOAD].length != 1) {
        throw new MalformedException("dhcp_bad_option_length");
      }
      overload = opts[OPT_OVERLOAD][0] & 0xff;
    }
    if ((overload & 1) != 0) {
      parseOptions(b, 108, 236, opts, false); // file
    }
    if ((overload & 2) != 0) {
      parseOptions(b, 44, 108, opts, false); // sname
    }

    byte[] msgType = fixedLength(opts[53], 1);
    byte[] lease = fixedLength(opts[51], 4);
    return new DhcpMessage(
        op,
        xid,
        msgType == null ? 0 : msgType[0] & 0xff,
        chaddr(fixed, htype, hlen),
        nonZero(fixed, 12),
        nonZero(fixed, 16),
        nonZero(fixed, 24),
        address(fixedLength(opts[50], 4)),
        lease == null ? null : ByteBuffer.wrap(lease).getInt() & 0xffffffffL,
        address(fixedLength(opts[54], 4)),
        text(opts[12]),
        opts[61] == null ? null : AddressText.hex(opts[61]),
        fqdn(opts[81]),
        text(opts[60]),
        paramList(opts[55]),
        relaySub(opts[82], 1),
        relaySub(opts[82], 2),
        text(opts[15]),
        opts[119] == null ? null : DomainSearch.decode(opts[119]));
  }

  /**
   * Walks one option area; concatenates repeated options into {@code opts}. Option 52 is only
   * honoured in the options field itself (RFC 2132 section 9.3).
   */
  private static void parseOptions(ByteBuffer b, int start, int end, byte[][] opts, boolean main)
      throws MalformedException {
    int p = start;
    while (p < end) {
      int code = b.get(p) & 0xff;
      if (code == OPT_PAD) {
        p++;
        continue;
      }
      if (code == OPT_END) {
        return;
      }
      if (p + 2 > end) {
        throw new MalformedException("dhcp_option_truncated");
      }
      int len = b.get(p + 1) & 0xff;
      if (p + 2 + len > end) {
        throw new MalformedException("dhcp_option_truncated");
      }
      if (main || code != OPT_OVERLOAD) {
        byte[] prev = opts[code];
        byte[] next = new byte[(prev == null ? 0 : prev.length) + len];
        if (prev != null) {
          System.arraycopy(prev, 0, next, 0, prev.length);
        }
        b.get(p + 2, next, next.length - len, len);
        opts[code] = next;
      }
      p += 2 + len;
    }
  }

  private static byte[] fixedLength(byte[] v, int len) throws MalformedException {
    if (v != null && v.length != len) {
      throw new MalformedException("dhcp_bad_option_length");
    }
    return v;
  }

  private static String chaddr(byte[] fixed, int htype, int hlen) {
    if (hlen == 0) {
      return null;
    }
    if (htype == 1 && hlen == 6) {
      StringBuilder sb = new StringBuilder(17);
      for (int i = 0; i < 6; i++) {
        sb.append(i > 0 ? ":" : "").append(AddressText.hex(fixed, 28 + i, 1));
      }
      return sb.toString();
    }
    return AddressText.hex(fixed, 28, hlen);
  }

  private static InetAddress nonZero(byte[] fixed, int off) {
    if ((fixed[off] | fixed[off + 1] | fixed[off + 2] | fixed[off + 3]) == 0) {
      return null;
    }
    byte[] a = new byte[4];
    System.arraycopy(fixed, off, a, 0, 4);
    return address(a);
  }

  private static InetAddress address(byte[] four) {
    if (four == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(four);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always a valid IPv4 address", e);
    }
  }

  /**
   * NVT text options (RFC 2132 sections 3.14, 9.13). Some clients NUL-terminate them; trailing NULs
   * are dropped. Bytes are read as UTF-8 (malformed sequences become U+FFFD) since modern clients
   * send it.
   */
  private static String text(byte[] v) {
    if (v == null) {
      return null;
    }
    int n = v.length;
    while (n > 0 && v[n - 1] == 0) {
      n--;
    }
    return new String(v, 0, n, StandardCharsets.UTF_8);
  }

  private static List<Integer> paramList(byte[] v) {
    if (v == null) {
      return null;
    }
    List<Integer> out = new ArrayList<>(v.length);
    for (byte x : v) {
      out.add(x & 0xff);
    }
    return List.copyOf(out);
  }

  /**
   * RFC 4702 section 2: flags, RCODE1, RCODE2, then the name; canonical wire format (uncompressed
   * labels, possibly without the final root label for a partial name) when the E flag (0x04) is
   * set, else ASCII. An empty name is reported as absent. No trailing dot.
   */
  private static String fqdn(byte[] v) throws MalformedException {
    if (v == null) {
      return null;
    }
    if (v.length < 3) {
      throw new MalformedException("dhcp_bad_fqdn");
    }
    String name;
    if ((v[0] & 0x04) != 0) {
      StringBuilder sb = new StringBuilder();
      int p = 3;
      while (p < v.length) {
        int len = v[p] & 0xff;
        if (len == 0) {
          break;
        }
        if (len > 63 || p + 1 + len > v.length) {
          throw new MalformedException("dhcp_bad_fqdn");
        }
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(new String(v, p + 1, len, StandardCharsets.UTF_8));
        p += 1 + len;
      }
      name = sb.toString();
    } else {
      name = text(java.util.Arrays.copyOfRange(v, 3, v.length));
      if (name.endsWith(".")) {
        name = name.substring(0, name.length() - 1);
      }
    }
    return name.isEmpty() ? null : name;
  }

  /** RFC 3046 section 2.0: sub-options of the relay agent information option. */
  private static String relaySub(byte[] v, int want) throws MalformedException {
    if (v == null) {
      return null;
    }
    ByteArrayOutputStream found = null;
    int p = 0;
    while (p < v.length) {
      if (p + 2 > v.length) {
        throw new MalformedException("dhcp_bad_relay_option");
      }
      int code = v[p] & 0xff;
      int len = v[p + 1] & 0xff;
      if (p + 2 + len > v.length) {
        throw new MalformedException("dhcp_bad_relay_option");
      }
      if (code == want) {
        if (found == null) {
          found = new ByteArrayOutputStream(len);
        }
        found.write(v, p + 2, len);
      }
      p += 2 + len;
    }
    if (found == null) {
      return null;
    }
    byte[] s = found.toByteArray();
    for (byte x : s) {
      if (x < 0x20 || x > 0x7e) {
        return AddressText.hex(s);
      }
    }
    return new String(s, StandardCharsets.US_ASCII);
  }
}
