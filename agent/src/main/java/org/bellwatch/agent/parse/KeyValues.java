package org.bellwatch.agent.parse;

import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code key=value key="quoted value"} payloads of FortiGate, Sophos, SonicWall and Meraki.
 * Real lines bend the syntax, so this reader is lenient in documented ways: values may be double-
 * or single-quoted; an unquoted value runs to the next {@code " key="} (Sophos XG writes {@code
 * site_category=Information Technology} and {@code domain=www. google.ca}); the first of a repeated
 * key wins (SonicWall repeats {@code msg=}); text that is not a pair is skipped.
 *
 * <p>The line is read once into the positions of its pairs; a key or value becomes a {@code String}
 * only when a parser asks for it. A FortiGate line has some forty pairs of which a parser reads
 * about fifteen, and a string and a map entry per pair were the largest cost of UDP syslog ingest
 * (docs/benchmarks.md, "Syslog ingest"). Each pair also keeps its key's {@link String#hashCode}
 * (the parsers' key literals cache theirs), and the pairs are chained in 64 buckets by it, so a
 * lookup compares a number or two, and text only on a match, instead of every key of the line.
 */
public final class KeyValues {
  /** A hostile line cannot hold more pairs than this. */
  public static final int MAX_PAIRS = 256;

  /**
   * Ints per pair: key start, key end, key hash, value start, value end, next pair of its bucket.
   */
  private static final int STRIDE = 6;

  /**
   * Each thread reads its lines' pairs into its own array, then copies out exactly as many as the
   * line had: one allocation of the right size, with no pass to count them first.
   */
  private static final ThreadLocal<int[]> SCRATCH =
      ThreadLocal.withInitial(() -> new int[STRIDE * MAX_PAIRS]);

  private KeyValues() {}

  /**
   * The pairs of {@code s}, in line order, as a read-only map. One pass over the words (runs of
   * anything but a space): a word that begins {@code key=} starts a pair; an unquoted value takes
   * the word after its {@code =} and every following word up to the next {@code key=} word, which
   * closes it.
   */
  public static Map<String, String> parse(String s) {
    int[] at = SCRATCH.get();
    int size = 0;
    int n = s.length();
    // The pair whose unquoted value is still open, or -1.
    int open = -1;
    int i = 0;
    while (i < n) {
      while (i < n && s.charAt(i) == ' ') {
        i++;
      }
      int keyStart = i;
      int hash = 0;
      while (i < n && isKeyChar(s.charAt(i))) {
        hash = 31 * hash + s.charAt(i);
        i++;
      }
      if (i >= n || s.charAt(i) != '=' || i == keyStart) {
        // Not a pair: more of an open value, or a word to skip.
        i = wordEnd(s, i);
        continue;
      }
      if (open >= 0) {
        closeValue(s, at, open, keyStart);
        open = -1;
      }
      if (size == MAX_PAIRS) {
        break;
      }
      int keyEnd = i;
      i++;
      if (i < n && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
        int close = s.indexOf(s.charAt(i), i + 1);
        if (close < 0) {
          close = n;
        }
        put(at, size++, keyStart, keyEnd, hash, i + 1, close);
        i = Math.min(n, close + 1);
      } else {
        put(at, size, keyStart, keyEnd, hash, i, n);
        open = size++;
        // The first word belongs to the value whatever it holds: "a=b=c" is a, "b=c".
        i = wordEnd(s, i);
      }
    }
    if (open >= 0) {
      closeValue(s, at, open, n);
    }
    return new Pairs(s, Arrays.copyOf(at, STRIDE * size), size);
  }

  /** The word at {@code from}: [from, wordEnd) runs to the next space or the end of {@code s}. */
  static int wordEnd(String s, int from) {
    int sp = s.indexOf(' ', from);
    return sp < 0 ? s.length() : sp;
  }

  /**
   * Ends an unquoted value where the next pair's key begins ({@code end}); as {@link
   * String#strip()}, white space at both ends of it is not part of it.
   */
  private static void closeValue(String s, int[] at, int pair, int end) {
    int k = STRIDE * pair;
    int from = at[k + 3];
    int to = end;
    while (from < to && Character.isWhitespace(s.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(s.charAt(to - 1))) {
      to--;
    }
    at[k + 3] = from;
    at[k + 4] = to;
  }

  private static boolean isKeyChar(char c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || c == '_'
        || c == '-'
        || c == '.';
  }

  /** The value, or null when absent or empty. */
  public static String get(Map<String, String> kv, String key) {
    String v = kv.get(key);
    return v == null || v.isEmpty() ? null : v;
  }

  private static void put(
      int[] at, int pair, int keyStart, int keyEnd, int hash, int valueStart, int valueEnd) {
    int k = STRIDE * pair;
    at[k] = keyStart;
    at[k + 1] = keyEnd;
    at[k + 2] = hash;
    at[k + 3] = valueStart;
    at[k + 4] = valueEnd;
  }

  /**
   * Pairs as offsets into the line: {@code get} compares the key in place and cuts the value out
   * only then. The first of a repeated key is the one found. Iteration (rare: tests, generic
   * mappings) builds an ordinary map once.
   */
  private static final class Pairs extends AbstractMap<String, String> {
    private static final int BUCKETS = 64;
    private final String s;

    /** {@link #STRIDE} ints per pair. */
    private final int[] at;

    private final int size;

    /**
     * Per bucket, its first pair in line order (index + 1, 0 for none); the pairs chain on from
     * there.
     */
    private final short[] heads = new short[BUCKETS];

    private Map<String, String> materialized;

    Pairs(String s, int[] at, int size) {
      this.s = s;
      this.at = at;
      this.size = size;
      // Chained back to front, so that each chain runs in line order and the first of a repeated
      // key wins.
      for (int p = size - 1; p >= 0; p--) {
        int b = bucket(at[STRIDE * p + 2]);
        at[STRIDE * p + 5] = heads[b];
        heads[b] = (short) (p + 1);
      }
    }

    private static int bucket(int hash) {
      return (hash ^ (hash >>> 16)) & (BUCKETS - 1);
    }

    private int find(Object key) {
      if (!(key instanceof String name)) {
        return -1;
      }
      int hash = name.hashCode();
      int len = name.length();
      for (int p = heads[bucket(hash)]; p != 0; p = at[STRIDE * (p - 1) + 5]) {
        int k = STRIDE * (p - 1);
        if (at[k + 2] == hash && at[k + 1] - at[k] == len && s.regionMatches(at[k], name, 0, len)) {
          return k;
        }
      }
      return -1;
    }

    @Override
    public String get(Object key) {
      int k = find(key);
      return k < 0 ? null : s.substring(at[k + 3], at[k + 4]);
    }

    @Override
    public boolean containsKey(Object key) {
      return find(key) >= 0;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
      if (materialized == null) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int k = 0; k < STRIDE * size; k += STRIDE) {
          m.putIfAbsent(s.substring(at[k], at[k + 1]), s.substring(at[k + 3], at[k + 4]));
        }
        materialized = Collections.unmodifiableMap(m);
      }
      return materialized.entrySet();
    }
  }
}
