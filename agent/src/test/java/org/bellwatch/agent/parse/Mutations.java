package org.bellwatch.agent.parse;

import java.util.Random;

/**
 * Lines near a valid one, for tests that hold a hand-written scanner to the expression it replaced:
 * a few characters replaced, inserted or deleted, or the line cut short.
 */
public final class Mutations {
  private Mutations() {}

  /**
   * {@code seed} with up to {@code maxEdits} random edits drawing new characters from {@code
   * alphabet}.
   */
  public static String of(String seed, String alphabet, int maxEdits, Random r) {
    StringBuilder b = new StringBuilder(seed);
    for (int m = r.nextInt(maxEdits + 1); m > 0 && b.length() > 0; m--) {
      int at = r.nextInt(b.length());
      char c = alphabet.charAt(r.nextInt(alphabet.length()));
      switch (r.nextInt(4)) {
        case 0 -> b.setCharAt(at, c);
        case 1 -> b.insert(at, c);
        case 2 -> b.deleteCharAt(at);
        default -> b.setLength(at);
      }
    }
    return b.toString();
  }
}
