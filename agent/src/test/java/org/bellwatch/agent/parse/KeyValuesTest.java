package org.bellwatch.agent.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyValuesTest {
  @Test
  void quotedUnquotedAndSpacedValuesComeOutAsTheLineMeansThemInLineOrder() {
    Map<String, String> kv =
        KeyValues.parse(
            "date=2026-09-15 devname=\"FG 100F\" msg='URL blocked' "
                + "site_category=Information Technology  domain=www. google.ca empty= tail=end");

    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("date", "2026-09-15");
    expected.put("devname", "FG 100F");
    expected.put("msg", "URL blocked");
    expected.put("site_category", "Information Technology");
    expected.put("domain", "www. google.ca");
    expected.put("empty", "");
    expected.put("tail", "end");
    assertThat(kv).isEqualTo(expected);
    assertThat(kv).containsExactlyEntriesOf(expected);
    assertThat(kv.get("devname")).isEqualTo("FG 100F");
    assertThat(kv.containsKey("empty")).isTrue();
    assertThat(KeyValues.get(kv, "empty")).isNull();
    assertThat(kv.get("missing")).isNull();
    assertThat(kv.get("dat")).as("a prefix of a key is not the key").isNull();
  }

  @Test
  void theFirstOfARepeatedKeyWinsAndWordsThatAreNotPairsAreSkipped() {
    Map<String, String> kv =
        KeyValues.parse("id=firewall sn=C0EA msg=\"first\" noise = msg=\"second\" =x m=1");

    assertThat(kv.get("msg")).isEqualTo("first");
    assertThat(kv.keySet()).containsExactly("id", "sn", "msg", "m");
    assertThat(kv.get("m")).isEqualTo("1");
  }

  @Test
  void anUnclosedQuoteRunsToTheEndAndAHostileLineHoldsAtMostMaxPairs() {
    assertThat(KeyValues.parse("a=1 b=\"open to the end"))
        .isEqualTo(Map.of("a", "1", "b", "open to the end"));
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      many.append("k").append(i).append("=v ");
    }
    assertThat(KeyValues.parse(many.toString())).hasSize(KeyValues.MAX_PAIRS);
  }

  @Test
  void isoDatesAndTimesReadByHandAgreeWithTheJdkAndOtherFormsFallBackToIt() {
    assertThat(LocalDateTimes.date("2026-09-15")).isEqualTo(LocalDate.of(2026, 9, 15));
    assertThat(LocalDateTimes.date("2024-02-29")).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(LocalDateTimes.time("08:10:05")).isEqualTo(LocalTime.of(8, 10, 5));
    assertThat(LocalDateTimes.time("08:10")).isEqualTo(LocalTime.of(8, 10));
    assertThat(LocalDateTimes.time("08:10:05.250")).isEqualTo(LocalTime.of(8, 10, 5, 250_000_000));
    for (String bad : new String[] {"2026-02-30", "2026-13-01", "2026-9-15", "20x6-09-15"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalDateTimes.date(bad))
          .as(bad)
          .isInstanceOf(DateTimeException.class);
    }
    for (String bad : new String[] {"24:00:00", "08:60:00", "8:10:05", "08:1x:05"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalDateTimes.time(bad))
          .as(bad)
          .isInstanceOf(DateTimeException.class);
    }
  }

  @Test
  void theOnePassReaderFindsThePairsOfTheReaderThatLookedAheadForTheNextKeyOnMutatedLines() {
    String[] seeds = {
      "date=2026-09-15 time=08:10:00 devname=\"fw-hs\" eventtime=1789477200000000000 tz=\"-0500\" "
          + "type=\"utm\" subtype=\"webfilter\" srcip=10.20.3.4 hostname=\"games.example.com\" action=\"blocked\" "
          + "msg='URL blocked' policyid=7",
      "site_category=Information Technology  domain=www. google.ca empty= tail=end",
      "id=firewall sn=C0EA msg=\"first\" noise = msg=\"second\" =x m=1 a=b=c  d= e"
    };
    String alphabet = " =\"'ab_.-\t9";
    Random r = new Random(11);
    for (int n = 0; n < 100_000; n++) {
      String line = Mutations.of(seeds[r.nextInt(seeds.length)], alphabet, 6, r);
      Map<String, String> expected = lookingAhead(line);
      Map<String, String> kv = KeyValues.parse(line);
      assertThat(new LinkedHashMap<>(kv)).as("[%s]", line).containsExactlyEntriesOf(expected);
      for (String key : expected.keySet()) {
        assertThat(kv.get(key)).as("%s in [%s]", key, line).isEqualTo(expected.get(key));
      }
      assertThat(kv.get("absent")).isNull();
    }
  }

  /**
   * The reader before the one-pass change: an unquoted value ends where a look-ahead finds {@code "
   * key="}.
   */
  private static Map<String, String> lookingAhead(String s) {
    Map<String, String> m = new LinkedHashMap<>();
    int pairs = 0;
    int n = s.length();
    int i = 0;
    while (i < n && pairs < KeyValues.MAX_PAIRS) {
      while (i < n && s.charAt(i) == ' ') {
        i++;
      }
      int keyStart = i;
      while (i < n && isKeyChar(s.charAt(i))) {
        i++;
      }
      if (i >= n || s.charAt(i) != '=' || i == keyStart) {
        while (i < n && s.charAt(i) != ' ') {
          i++;
        }
        continue;
      }
      String key = s.substring(keyStart, i);
      i++;
      pairs++;
      if (i < n && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
        int close = s.indexOf(s.charAt(i), i + 1);
        close = close < 0 ? n : close;
        m.putIfAbsent(key, s.substring(i + 1, close));
        i = Math.min(n, close + 1);
      } else {
        int end = n;
        for (int sp = s.indexOf(' ', i); sp >= 0; sp = s.indexOf(' ', sp + 1)) {
          int k = sp + 1;
          while (k < n && s.charAt(k) == ' ') {
            k++;
          }
          int j = k;
          while (j < n && isKeyChar(s.charAt(j))) {
            j++;
          }
          if (j > k && j < n && s.charAt(j) == '=') {
            end = sp;
            break;
          }
        }
        m.putIfAbsent(key, s.substring(i, end).strip());
        i = end;
      }
    }
    return m;
  }

  private static boolean isKeyChar(char c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || c == '_'
        || c == '-'
        || c == '.';
  }
}
