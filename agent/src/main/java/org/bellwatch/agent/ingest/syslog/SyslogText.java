package org.bellwatch.agent.ingest.syslog;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of one syslog frame into text that is safe to parse, store and show: a pure
 * function with no I/O. Senders are not trusted, so each defect is repaired and reported as a flag
 * for counting:
 *
 * <ul>
 *   <li>{@link #INVALID_UTF8}: undecodable bytes become U+FFFD (RFC 5424 section 6.4 allows any
 *       bytes outside a BOM-marked MSG; most devices send UTF-8 or ASCII).
 *   <li>{@link #NUL}: NUL characters are removed (some senders terminate messages with one).
 *   <li>{@link #ANSI_ESCAPE}: terminal escape sequences (ESC, CSI and friends) are removed whole,
 *       so a log line can never recolor or rewrite an operator's terminal.
 *   <li>{@link #CONTROL}: any other control character inside the message, including an embedded CR
 *       or LF that could forge a second log line, becomes a space. Tabs stay. A trailing CR/LF is
 *       trimmed silently: it is only the sender's line end.
 * </ul>
 */
public final class SyslogText {
  public static final int INVALID_UTF8 = 1;
  public static final int NUL = 2;
  public static final int ANSI_ESCAPE = 4;
  public static final int CONTROL = 8;

  /** Flag bits and their metric reasons, in bit order. */
  static final String[] REASONS = {"invalid_utf8", "nul", "ansi_escape", "control_char"};

  /** Eight bytes of a frame read as one {@code long}, for {@link #printableAscii}. */
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long ONES = 0x0101010101010101L;
  private static final long SPACES = 0x2020202020202020L;

  /**
   * @param text the repaired text; @param defects an OR of the flag bits found
   */
  public record Clean(String text, int defects) {}

  private SyslogText() {}

  public static Clean decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  public static Clean decode(byte[] bytes, int offset, int length) {
    int end = offset + length;
    while (end > offset && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
      end--;
    }
    if (printableAscii(bytes, offset, end)) {
      // The common case, and nothing to repair: ASCII is the same text in UTF-8 and ISO 8859-1, and
      // the
      // latter is one byte-for-byte copy with no decoder to set up.
      return new Clean(new String(bytes, offset, end - offset, StandardCharsets.ISO_8859_1), 0);
    }
    int defects = 0;
    String s;
    try {
      s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, offset, end - offset))
              .toString();
    } catch (CharacterCodingException e) {
      defects |= INVALID_UTF8;
      s = new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }
    int first = firstControl(s);
    if (first < 0) {
      return new Clean(s, defects);
    }
    StringBuilder out = new StringBuilder(s.length());
    out.append(s, 0, first);
    for (int i = first; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        defects |= NUL;
      } else if (c == 0x1b || c == 0x9b) {
        defects |= ANSI_ESCAPE;
        i = escapeEnd(s, i);
      } else if (isControl(c) && c != '\t') {
        defects |= CONTROL;
        out.append(' ');
      } else {
        out.append(c);
      }
    }
    return new Clean(out.toString(), defects);
  }

  /**
   * True when every byte is printable US-ASCII or a tab: text with no defect to look for. Every
   * message passes here, so eight bytes are tested at once (SWAR): a word whose bytes are all in
   * 0x20-0x7E has no high bit, none that adding 1 sets (0x7F), and none that subtracting 0x20
   * borrows into (below 0x20, exact for bytes under 0x80, the only case where it decides). Any
   * other word, a tab's included, is looked at byte by byte.
   */
  static boolean printableAscii(byte[] bytes, int from, int to) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long w = (long) LONGS.get(bytes, i);
      if (((w | (w + ONES) | (w - SPACES)) & HIGH_BITS) != 0
          && !printableBytes(bytes, i, i + Long.BYTES)) {
        return false;
      }
    }
    return printableBytes(bytes, i, to);
  }

  private static boolean printableBytes(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = bytes[i];
      if ((b < 0x20 || b == 0x7f) && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private static int firstControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isControl(c) && c != '\t') {
        return i;
      }
    }
    return -1;
  }

  private static boolean isControl(char c) {
    return c < 0x20 || c >= 0x7f && c <= 0x9f;
  }

  /**
   * Index of the last character of the escape sequence starting at {@code i} (ECMA-48): CSI ({@code
   * ESC [} or U+009B) runs through parameter and intermediate bytes to a final byte 0x40-0x7E; OSC
   * ({@code ESC ]}) runs to BEL or ST; any other {@code ESC x} is two characters.
   */
  private static int escapeEnd(String s, int i) {
    int j = i + 1;
    boolean csi = s.charAt(i) == 0x9b;
    if (!csi) {
      if (j >= s.length()) {
        return i;
      }
      char next = s.charAt(j);
      if (next == ']') {
        for (int k = j + 1; k < s.length(); k++) {
          char c = s.charAt(k);
          if (c == 0x07) {
            return k;
          }
          if (c == 0x1b && k + 1 < s.length() && s.charAt(k + 1) == '\\') {
            return k + 1;
          }
        }
        return s.length() - 1;
      }
      if (next != '[') {
        return next >= 0x20 && next <= 0x7e ? j : i;
      }
      j++;
    }
    for (; j < s.length(); j++) {
      char c = s.charAt(j);
      if (c >= 0x40 && c <= 0x7e) {
        return j;
      }
      if (c < 0x20 || c > 0x3f) {
        // Not a parameter or intermediate byte: the sequence is broken; drop only what was read.
        return j - 1;
      }
    }
    return s.length() - 1;
  }
}
