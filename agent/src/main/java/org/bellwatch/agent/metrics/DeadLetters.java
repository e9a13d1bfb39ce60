package org.bellwatch.agent.metrics;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last unparseable log lines of each vendor, for the console's status page: a bounded ring per
 * vendor (the oldest line leaves when a new one comes), each line cut to a bounded length. Counting
 * by reason is {@code bellwatch.logs.malformed}'s job; this keeps the lines themselves, so that
 * someone can see what a filter sends that we do not read. Lines are attacker-controlled text: kept
 * as text, never interpreted. Thread-safe (syslog event loops, the tailer and the web server share
 * it).
 */
public final class DeadLetters {
  public static final int PER_VENDOR = 200;
  public static final int MAX_LINE_BYTES = 2048;

  /**
   * @param time when the line was read
   * @param vendor the parser it was given to
   * @param source where it came from: {@code syslog:<listener>} or {@code file:<path>}
   * @param reason the parser's snake_case reason
   * @param line the line, cut to {@link #MAX_LINE_BYTES} UTF-8 bytes
   * @param truncated whether the line was cut
   */
  public record Letter(
      Instant time, String vendor, String source, String reason, String line, boolean truncated) {}

  private final int perVendor;
  private final int maxLineBytes;
  private final Clock clock;
  private final Map<String, Deque<Letter>> rings = new TreeMap<>();

  public DeadLetters(int perVendor, int maxLineBytes, Clock clock) {
    this.perVendor = perVendor;
    this.maxLineBytes = maxLineBytes;
    this.clock = clock;
  }

  public DeadLetters(Clock clock) {
    this(PER_VENDOR, MAX_LINE_BYTES, clock);
  }

  public int perVendor() {
    return perVendor;
  }

  public int maxLineBytes() {
    return maxLineBytes;
  }

  public void add(String vendor, String source, String reason, String line) {
    String text = line == null ? "" : line;
    String cut = cut(text, maxLineBytes);
    Letter l =
        new Letter(clock.instant(), vendor, source, reason, cut, cut.length() < text.length());
    synchronized (rings) {
      Deque<Letter> ring = rings.computeIfAbsent(vendor, v -> new ArrayDeque<>());
      if (ring.size() == perVendor) {
        ring.removeFirst();
      }
      ring.addLast(l);
    }
  }

  /** Every kept line, newest first. */
  public List<Letter> snapshot() {
    List<Letter> all = new ArrayList<>();
    synchronized (rings) {
      rings.values().forEach(all::addAll);
    }
    all.sort(Comparator.comparing(Letter::time).reversed());
    return all;
  }

  /**
   * The longest prefix of {@code s} within {@code maxBytes} UTF-8 bytes, never splitting a
   * surrogate pair.
   */
  static String cut(String s, int maxBytes) {
    if (s.length() * 3L <= maxBytes) {
      return s;
    }
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int n;
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n = 4;
      } else {
        n = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      }
      if (bytes + n > maxBytes) {
        return s.substring(0, i);
      }
      bytes += n;
      if (n == 4) {
        i++;
      }
    }
    return s;
  }
}
