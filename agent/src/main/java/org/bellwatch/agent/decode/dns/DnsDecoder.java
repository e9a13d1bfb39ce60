package org.bellwatch.agent.decode.dns;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.MalformedException;

/**
 * Decodes one DNS message (RFC 1035 section 4.1) from a UDP payload into a {@link DnsMessage}.
 *
 * <p>Design note. The decoder is a pure function: every read goes through {@link #u8}/{@link #u16}/
 * {@link #u32}, which check bounds against the message end first, so bad bytes can only surface as
 * a {@link MalformedException} with a bounded reason. Two kinds of damage are told apart:
 *
 * <ul>
 *   <li>Framing damage (truncated header, a name or record running past the end, a compression
 *       loop, an RDLENGTH that does not fit) makes the whole message malformed: we cannot find the
 *       next record.
 *   <li>Content damage inside one well-framed RDATA (an A record of 5 bytes, an SVCB parameter
 *       whose length overruns) keeps the message: that record's data falls back to the RFC 3597
 *       generic form {@code \# len hex}, so the question and the other records still reach identity
 *       and correlation.
 * </ul>
 *
 * Names keep their original case (RFC 4343), labels are joined with '.', there is no trailing dot
 * and the root is "" as an owner name. Inside RDATA the root is written "." (so that "10 ." stays
 * readable for MX, SRV and SVCB). Label bytes outside printable ASCII, and '.' and '\' inside a
 * label, are escaped as in RFC 1035 section 5.1 ({@code \DDD}, {@code \.}, {@code \\}) because
 * names are attacker-controlled text.
 *
 * <p>Design note (one class): the RFC 1035 walk (header, question, the three record sections, then
 * each type's RDATA) reads best in one place: every step reads through the same bounds-checked
 * cursor, and the RDATA forms are short cases of one switch, each citing its RFC.
 */
public final class DnsDecoder {
  private static final int HEADER_LEN = 12;

  /** RFC 1035 section 2.3.4: names are limited to 255 octets on the wire. */
  private static final int MAX_NAME_WIRE_LEN = 255;

  /**
   * Names decoded so far, by the offset they start at: compression pointers mostly point at these.
   */
  private static final int NAME_CACHE = 8;

  /** Per-thread work arrays, looked up once per message. */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static final VarHandle U16 =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle U32 =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  /**
   * A copy of a message that is not in an accessible array (a read-only or direct buffer), so that
   * every read is a plain array read; and the presentation text of one name: at most 255 wire
   * octets, each at most 4 characters (\DDD). Bytes, not chars: the text is printable ASCII by
   * construction, so a Latin-1 string is made by one copy, with no scan for characters that need
   * two bytes.
   */
  private static final class Scratch {
    final byte[] message = new byte[65_535];
    final byte[] text = new byte[4 * MAX_NAME_WIRE_LEN];
  }

  /** The bytes the message is in, at {@code a[base]} to {@code a[base + end - 1]}. */
  private final byte[] a;

  /**
   * Index of the message's first byte in {@code a}; every offset below is relative to it (RFC 1035
   * 4.1.4).
   */
  private final int base;

  /** Length of the message: offsets must stay below it. */
  private final int end;

  private final byte[] text;

  /** Start offset and wire length of each cached name, packed as (offset << 16 | wireLen). */
  private final int[] cachedAt = new int[NAME_CACHE];

  private final String[] cachedName = new String[NAME_CACHE];
  private int cached;
  private Edns edns;

  private DnsDecoder(byte[] a, int base, int end, byte[] text) {
    this.a = a;
    this.base = base;
    this.end = end;
    this.text = text;
  }

  /**
   * Decodes the message in {@code payload} from its position to its limit. The buffer's position is
   * not changed.
   *
   * @throws MalformedException with reasons such as {@code dns_truncated_header}, {@code
   *     dns_truncated}, {@code dns_name_loop}, {@code dns_name_too_long}, {@code
   *     dns_bad_label_type}, {@code dns_rdata_truncated}
   */
  public static DnsMessage decode(ByteBuffer payload) throws MalformedException {
    Scratch scratch = SCRATCH.get();
    int len = payload.remaining();
    if (payload.hasArray()) {
      return new DnsDecoder(
              payload.array(), payload.arrayOffset() + payload.position(), len, scratch.text)
          .message();
    }
    // Captured frames are read-only views: one bulk copy of the message costs less than a checked
    // buffer read per byte.
    byte[] copy = len <= scratch.message.length ? scratch.message : new byte[len];
    payload.get(payload.position(), copy, 0, len);
    return new DnsDecoder(copy, 0, len, scratch.text).message();
  }

  private DnsMessage message() throws MalformedException {
    if (end < HEADER_LEN) {
      throw new MalformedException("dns_truncated_header");
    }
    int id = u16(0);
    int flags = u16(2);
    int qd = u16(4);
    int an = u16(6);
    int ns = u16(8);
    int ar = u16(10);
    int[] pos = {HEADER_LEN};
    List<DnsQuestion> questions;
    if (qd == 1) {
      // Nearly every message has exactly one question (RFC 9619): no list to grow and copy.
      questions = List.of(question(pos));
    } else {
      List<DnsQuestion> qs = new ArrayList<>(Math.min(qd, 4));
      for (int i = 0; i < qd; i++) {
        qs.add(question(pos));
      }
      questions = List.copyOf(qs);
    }
    List<DnsRecord> answers = records(an, pos, false);
    List<DnsRecord> authorities = records(ns, pos, false);
    List<DnsRecord> additionals = records(ar, pos, true);
    return new DnsMessage(
        id,
        (flags & 0x8000) != 0,
        (flags >> 11) & 0xf,
        flags & 0xf,
        questions,
        answers,
        authorities,
        additionals,
        edns);
  }

  private DnsQuestion question(int[] pos) throws MalformedException {
    String name = name(pos);
    int type = u16(pos[0]);
    int qclass = u16(pos[0] + 2);
    pos[0] += 4;
    return new DnsQuestion(name, type, qclass);
  }

  private List<DnsRecord> records(int count, int[] pos, boolean additional)
      throws MalformedException {
    if (count == 0) {
      return List.of();
    }
    if (count == 1) {
      return List.of(record(pos, additional));
    }
    List<DnsRecord> out = new ArrayList<>(Math.min(count, 16));
    for (int i = 0; i < count; i++) {
      out.add(record(pos, additional));
    }
    return List.copyOf(out);
  }

  private DnsRecord record(int[] pos, boolean additional) throws MalformedException {
    String name = name(pos);
    int p = pos[0];
    int type = u16(p);
    int rclass = u16(p + 2);
    long ttl = u32(p + 4);
    int rdlen = u16(p + 8);
    int rdStart = p + 10;
    if (rdStart + rdlen > end) {
      throw new MalformedException("dns_rdata_truncated");
    }
    pos[0] = rdStart + rdlen;
    if (additional && type == DnsRecord.TYPE_OPT && edns == null) {
      edns = edns(rclass, ttl, rdStart, rdStart + rdlen);
    }
    return new DnsRecord(name, type, rclass, ttl, rdata(type, rdStart, rdlen));
  }

  // ---- EDNS(0)
  // ---------------------------------------------------------------------------------------

  /**
   * RFC 6891 section 6.1: TTL = extended RCODE(8) version(8) DO(1) Z(15); RDATA = {code(2)
   * length(2) data}*. A damaged option list keeps the message (content damage, see the class note).
   */
  private Edns edns(int udpSize, long ttl, int start, int rdEnd) throws MalformedException {
    List<Edns.Option> options = new ArrayList<>(2);
    Edns.ClientSubnet ecs = null;
    boolean malformed = false;
    int p = start;
    while (p < rdEnd) {
      if (p + 4 > rdEnd || p + 4 + u16(p + 2) > rdEnd) {
        malformed = true;
        break;
      }
      int code = u16(p);
      int len = u16(p + 2);
      options.add(new Edns.Option(code, AddressText.hex(bytes(p + 4, len))));
      if (code == Edns.OPTION_CLIENT_SUBNET && ecs == null) {
        ecs = clientSubnet(p + 4, len);
      }
      p += 4 + len;
    }
    return new Edns(
        udpSize,
        (int) (ttl >>> 24),
        (int) (ttl >>> 16) & 0xff,
        (ttl & 0x8000) != 0,
        List.copyOf(options),
        ecs,
        malformed);
  }

  /**
   * RFC 7871 section 6: FAMILY(2) SOURCE PREFIX-LENGTH(1) SCOPE PREFIX-LENGTH(1) ADDRESS, the
   * address cut to ceil(source / 8) bytes. Returns null when the option breaks those rules (section
   * 7.1.2 would have a server answer FORMERR; a passive observer just does not trust it).
   */
  private Edns.ClientSubnet clientSubnet(int at, int len) throws MalformedException {
    if (len < 4) {
      return null;
    }
    int family = u16(at);
    int source = u8(at + 2);
    int scope = u8(at + 3);
    int size = family == 1 ? 4 : family == 2 ? 16 : 0;
    if (size == 0 || source > size * 8 || scope > size * 8 || len - 4 != (source + 7) / 8) {
      return null;
    }
    byte[] a = new byte[size];
    System.arraycopy(this.a, base + at + 4, a, 0, len - 4);
    if (source % 8 != 0 && len > 4) {
      a[len - 5] &=
          (byte) (0xff << (8 - source % 8)); // bits past the prefix must be zero; mask them
    }
    return new Edns.ClientSubnet(
        family, source, scope, size == 4 ? AddressText.ipv4(a, 0) : AddressText.ipv6(a, 0));
  }

  // ---- RDATA presentation
  // -------------------------------------------------------------------------

  private String rdata(int type, int start, int len) throws MalformedException {
    try {
      String s = rdataOrNull(type, start, len);
      return s != null ? s : generic(start, len);
    } catch (MalformedException e) {
      // Content damage inside a well-framed record: keep the record in generic form (see class
      // note).
      return generic(start, len);
    }
  }

  /**
   * Returns null for types shown in the generic form; throws when the RDATA does not match its
   * type.
   */
  private String rdataOrNull(int type, int start, int len) throws MalformedException {
    int rdEnd = start + len;
    switch (type) {
      case DnsRecord.TYPE_A:
        need(len == 4);
        return AddressText.ipv4(a, base + start);
      case DnsRecord.TYPE_AAAA:
        need(len == 16);
        return AddressText.ipv6(a, base + start);
      case DnsRecord.TYPE_NS:
      case DnsRecord.TYPE_CNAME:
      case DnsRecord.TYPE_PTR:
      case 39:
        { // DNAME, RFC 6672
          int[] p = {start};
          String n = rdataName(p, rdEnd);
          need(p[0] == rdEnd);
          return n;
        }
      case DnsRecord.TYPE_MX:
        {
          need(len >= 3);
          int[] p = {start + 2};
          String n = rdataName(p, rdEnd);
          need(p[0] == rdEnd);
          return u16(start) + " " + n;
        }
      case DnsRecord.TYPE_TXT:
        return txt(start, rdEnd);
      case DnsRecord.TYPE_SOA:
        {
          int[] p = {start};
          String mname = rdataName(p, rdEnd);
          String rname = rdataName(p, rdEnd);
          need(p[0] + 20 == rdEnd);
          int q = p[0];
          return mname
              + " "
              + rname
              + " "
              + u32(q)
              + " "
              + u32(q + 4)
              + " "
              + u32(q + 8)
              + " "
              + u32(q + 12)
              + " "
              + u32(q + 16);
        }
      case DnsRecord.TYPE_SRV:
        {
          need(len >= 7);
          int[] p = {start + 6};
          String target = rdataName(p, rdEnd);
          need(p[0] == rdEnd);
          return u16(start) + " " + u16(start + 2) + " " + u16(start + 4) + " " + target;
        }
      case DnsRecord.TYPE_SVCB:
      case DnsRecord.TYPE_HTTPS:
        return svcb(start, rdEnd);
      case DnsRecord.TYPE_OPT:
        return AddressText.hex(bytes(start, len));
      default:
        return null;
    }
  }

  private String generic(int start, int len) throws MalformedException {
    return len == 0 ? "\\# 0" : "\\# " + len + " " + AddressText.hex(bytes(start, len));
  }

  /** RFC 1035 section 3.3.14: one or more character-strings, each shown quoted. */
  private String txt(int start, int rdEnd) throws MalformedException {
    need(rdEnd > start);
    StringBuilder sb = new StringBuilder();
    int p = start;
    while (p < rdEnd) {
      int n = u8(p);
      need(p + 1 + n <= rdEnd);
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append('"');
      appendEscaped(sb, p + 1, n, true);
      sb.append('"');
      p += 1 + n;
    }
    return sb.toString();
  }

  /**
   * RFC 9460: "priority target key=value ...". Values: mandatory as key names, alpn as a comma
   * list, port as a number, address hints as comma lists, ech in base64, other keys as {@code
   * keyNNNNN=hex}.
   */
  private String svcb(int start, int rdEnd) throws MalformedException {
    need(rdEnd - start >= 3);
    int[] p = {start + 2};
    StringBuilder sb =
        new StringBuilder().append(u16(start)).append(' ').append(rdataName(p, rdEnd));
    int q = p[0];
    while (q < rdEnd) {
      need(q + 4 <= rdEnd);
      int key = u16(q);
      int vlen = u16(q + 2);
      int v = q + 4;
      int vEnd = v + vlen;
      need(vEnd <= rdEnd);
      sb.append(' ').append(svcKeyName(key));
      switch (key) {
        case 0:
          { // mandatory: list of keys
            need(vlen > 0 && vlen % 2 == 0);
            sb.append('=');
            for (int i = v; i < vEnd; i += 2) {
              sb.append(i > v ? "," : "").append(svcKeyName(u16(i)));
            }
            break;
          }
        case 1:
          { // alpn: list of length-prefixed ids
            need(vlen > 0);
            sb.append('=');
            int i = v;
            while (i < vEnd) {
              int n = u8(i);
              need(n > 0 && i + 1 + n <= vEnd);
              if (i > v) {
                sb.append(',');
              }
              appendEscaped(sb, i + 1, n, false);
              i += 1 + n;
            }
            break;
          }
        case 2: // no-default-alpn: no value
          need(vlen == 0);
          break;
        case 3: // port
          need(vlen == 2);
          sb.append('=').append(u16(v));
          break;
        case 4: // ipv4hint
          need(vlen > 0 && vlen % 4 == 0);
          sb.append('=');
          for (int i = v; i < vEnd; i += 4) {
            sb.append(i > v ? "," : "").append(AddressText.ipv4(a, base + i));
          }
          break;
        case 6: // ipv6hint
          need(vlen > 0 && vlen % 16 == 0);
          sb.append('=');
          for (int i = v; i < vEnd; i += 16) {
            sb.append(i > v ? "," : "").append(AddressText.ipv6(a, base + i));
          }
          break;
        case 5: // ech: base64 of the ECHConfigList
          sb.append('=').append(Base64.getEncoder().encodeToString(bytes(v, vlen)));
          break;
        default:
          if (vlen > 0) {
            sb.append('=').append(AddressText.hex(bytes(v, vlen)));
          }
      }
      q = vEnd;
    }
    return sb.toString();
  }

  private static String svcKeyName(int key) {
    switch (key) {
      case 0:
        return "mandatory";
      case 1:
        return "alpn";
      case 2:
        return "no-default-alpn";
      case 3:
        return "port";
      case 4:
        return "ipv4hint";
      case 5:
        return "ech";
      case 6:
        return "ipv6hint";
      default:
        return "key" + key;
    }
  }

  // ---- names
  // -----------------------------------------------------------------------------------------

  /** A name inside RDATA: must end within the RDATA; the root is written ".". */
  private String rdataName(int[] pos, int rdEnd) throws MalformedException {
    String n = name(pos);
    need(pos[0] <= rdEnd);
    return n.isEmpty() ? "." : n;
  }

  /**
   * Reads a possibly compressed name (RFC 1035 section 4.1.4) starting at {@code pos[0]} and moves
   * {@code pos[0]} past it in the original record. A pointer must point strictly before the lowest
   * offset this name has read from so far; that makes every jump go backwards, so loops are
   * impossible and the walk ends after at most one pass over the message.
   */
  private String name(int[] pos) throws MalformedException {
    int n = 0;
    int start = pos[0];
    int p = start;
    int lowest = p;
    int resume = -1;
    int wireLen = 1; // the terminating root label
    while (true) {
      int len = u8(p);
      int kind = len & 0xc0;
      if (kind == 0xc0) {
        int target = ((len & 0x3f) << 8) | u8(p + 1);
        if (target >= lowest) {
          throw new MalformedException("dns_name_loop");
        }
        if (resume < 0) {
          resume = p + 2;
        }
        int hit = cacheIndex(target);
        if (hit >= 0) {
          // The rest of the name was decoded before: reuse it (same checks as decoding it again).
          wireLen += (cachedAt[hit] & 0xffff) - 1;
          if (wireLen > MAX_NAME_WIRE_LEN) {
            throw new MalformedException("dns_name_too_long");
          }
          pos[0] = resume;
          String rest = cachedName[hit];
          if (n == 0) {
            return rest;
          }
          return rest.isEmpty() ? latin1(text, n) : latin1(text, n) + "." + rest;
        }
        lowest = target;
        p = target;
        continue;
      }
      if (kind != 0) {
        throw new MalformedException("dns_bad_label_type"); // 0x40 / 0x80: RFC 6891 section 5
      }
      if (len == 0) {
        pos[0] = resume >= 0 ? resume : p + 1;
        String name = latin1(text, n);
        if (resume < 0) {
          remember(start, name, wireLen);
        }
        return name;
      }
      wireLen += 1 + len;
      if (wireLen > MAX_NAME_WIRE_LEN) {
        throw new MalformedException("dns_name_too_long");
      }
      if (p + 1 + len > end) {
        throw new MalformedException("dns_truncated");
      }
      if (n > 0) {
        text[n++] = '.';
      }
      n = appendLabel(n, p + 1, len);
      p += 1 + len;
    }
  }

  private int cacheIndex(int offset) {
    for (int i = 0; i < cached; i++) {
      if (cachedAt[i] >>> 16 == offset) {
        return i;
      }
    }
    return -1;
  }

  private void remember(int offset, String name, int wireLen) {
    if (cached < NAME_CACHE) {
      cachedAt[cached] = offset << 16 | wireLen;
      cachedName[cached] = name;
      cached++;
    }
  }

  /**
   * A label in presentation form (RFC 1035 section 5.1), as {@link #appendEscaped} writes it for
   * labels. Nearly every label is plain (printable ASCII without '.' or '\\') and is copied as it
   * is; a label that needs escapes is written again from its start.
   */
  private int appendLabel(int n, int start, int len) {
    int from = base + start;
    for (int i = 0; i < len; i++) {
      byte c = a[from + i];
      if (c < 0x21 || c > 0x7e || c == '.' || c == '\\') {
        return appendEscapedLabel(n, start, len);
      }
      text[n + i] = c;
    }
    return n + len;
  }

  private int appendEscapedLabel(int n, int start, int len) {
    for (int i = base + start; i < base + start + len; i++) {
      byte c = a[i];
      if (c == '\\' || c == '.') {
        text[n++] = '\\';
        text[n++] = c;
      } else if (c >= 0x21 && c <= 0x7e) {
        text[n++] = c;
      } else {
        int u = c & 0xff;
        text[n++] = '\\';
        text[n++] = (byte) ('0' + u / 100);
        text[n++] = (byte) ('0' + u / 10 % 10);
        text[n++] = (byte) ('0' + u % 10);
      }
    }
    return n;
  }

  private static String latin1(byte[] text, int n) {
    return new String(text, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /**
   * Appends label or character-string bytes in presentation form (RFC 1035 section 5.1): printable
   * ASCII as is, '\' and the delimiter ('"' in strings, '.' in labels) backslash-escaped, anything
   * else as \DDD.
   */
  private void appendEscaped(StringBuilder sb, int start, int len, boolean quoted)
      throws MalformedException {
    for (int i = start; i < start + len; i++) {
      int c = u8(i);
      if (c == '\\' || (quoted ? c == '"' : c == '.')) {
        sb.append('\\').append((char) c);
      } else if (c >= 0x21 && c <= 0x7e || (quoted && c == ' ')) {
        sb.append((char) c);
      } else {
        sb.append('\\')
            .append((char) ('0' + c / 100))
            .append((char) ('0' + c / 10 % 10))
            .append((char) ('0' + c % 10));
      }
    }
  }

  // ---- bounds-checked reads
  // ---------------------------------------------------------------------------

  private static void need(boolean ok) throws MalformedException {
    if (!ok) {
      throw new MalformedException("dns_bad_rdata");
    }
  }

  private int u8(int at) throws MalformedException {
    if (at < 0 || at + 1 > end) {
      throw new MalformedException("dns_truncated");
    }
    return a[base + at] & 0xff;
  }

  private int u16(int at) throws MalformedException {
    if (at < 0 || at + 2 > end) {
      throw new MalformedException("dns_truncated");
    }
    return (short) U16.get(a, base + at) & 0xffff;
  }

  private long u32(int at) throws MalformedException {
    if (at < 0 || at + 4 > end) {
      throw new MalformedException("dns_truncated");
    }
    return (int) U32.get(a, base + at) & 0xffffffffL;
  }

  private byte[] bytes(int at, int len) throws MalformedException {
    if (at < 0 || len < 0 || at + len > end) {
      throw new MalformedException("dns_truncated");
    }
    return Arrays.copyOfRange(a, base + at, base + at + len);
  }
}
