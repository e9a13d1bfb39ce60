package org.bellwatch.agent.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StructuredDataTest {
  /**
   * RFC 5424 section 6.3's STRUCTURED-DATA as an expression, with the scanner's two allowances
   * (names of any length; in a quoted value, a backslash before any character and an unescaped
   * ']'). A '[' right after the elements must open one more: text such as {@code [a b="c"][d e=f]}
   * is not structured data.
   */
  private static final String NAME = "[\\x21\\x23-\\x3c\\x3e-\\x5c\\x5e-\\x7e]+";

  private static final Pattern SD =
      Pattern.compile(
          "(?:\\[" + NAME + "(?: " + NAME + "=\"(?:[^\"\\\\]|\\\\.)*\")*\\])+(?!\\[)",
          Pattern.DOTALL);

  @Test
  void theScannerEndsStructuredDataExactlyWhereTheGrammarDoesOnMutatedElements() {
    String[] seeds = {
      "[timeQuality tzKnown=\"1\" isSynced=\"0\"] msg",
      "[meta sequenceId=\"1\"][a b=\"c\"]",
      "[bw@32473 note=\"a \\\"q\\\" \\\\ \\] v\" id=\"x]y\"] m",
      "[x]",
      "[a:\"b\"; c:\"d\"] rest"
    };
    String alphabet = "[]\"\\= abz@:;-\u00e9\t";
    Random r = new Random(5424);
    for (int n = 0; n < 200_000; n++) {
      String s = Mutations.of(seeds[r.nextInt(seeds.length)], alphabet, 4, r);
      Matcher m = SD.matcher(s);
      int expected = m.lookingAt() ? m.end() : -1;
      assertThat(StructuredData.end(s, 0)).as("structured data in [%s]", s).isEqualTo(expected);
    }
  }

  @Test
  void elementsEndAfterTheirLastBracketAndTextThatIsNotAnElementHasNoEnd() {
    assertThat(StructuredData.end("[a b=\"c\"][d] msg", 0)).isEqualTo(12);
    assertThat(StructuredData.end("x [a] msg", 2)).isEqualTo(5);
    assertThat(StructuredData.end("[a b=\"c\\\"]\"] msg", 0)).isEqualTo(12);
    for (String notSd :
        new String[] {
          "", "-", "[", "[]", "[a", "[a ]", "[a b]", "[a b=c]", "[a b=\"c]", "[a=b]", "[\"a\"]"
        }) {
      assertThat(StructuredData.end(notSd, 0)).as(notSd).isEqualTo(-1);
    }
  }
}
