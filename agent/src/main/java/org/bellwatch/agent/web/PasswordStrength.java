package org.bellwatch.agent.web;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import me.gosimple.nbvcxz.Nbvcxz;
import me.gosimple.nbvcxz.matching.match.DictionaryMatch;
import me.gosimple.nbvcxz.resources.ConfigurationBuilder;
import me.gosimple.nbvcxz.resources.Dictionary;
import me.gosimple.nbvcxz.resources.DictionaryBuilder;
import me.gosimple.nbvcxz.scoring.Result;

/**
 * How hard a password is to guess, estimated by nbvcxz (zxcvbn's approach: the cheapest way to
 * build the password from common passwords, words, names, keyboard walks, sequences, repeats and
 * dates, in bits). NIST SP 800-63B section 5.1.1.2 asks verifiers to refuse passwords found in
 * lists of commonly used or compromised values, and context-specific words; nbvcxz's dictionaries
 * are such lists, and the account's username and the product's name are added as the context.
 *
 * <p>The bar is {@value #MIN_ENTROPY_BITS} bits, nbvcxz's own default: about 34 billion guesses,
 * which at the 600,000 PBKDF2 iterations of a stored hash keeps a stolen hash busy for weeks on a
 * GPU, and online guessing behind the login backoff for far longer.
 */
final class PasswordStrength {
  static final double MIN_ENTROPY_BITS = 35;
  private static final String CONTEXT = "context";

  /** Loaded once (about 1.5 MB of word lists); estimates only read them. */
  private static final List<Dictionary> DICTIONARIES =
      ConfigurationBuilder.getDefaultDictionaries();

  private PasswordStrength() {}

  /**
   * Why {@code password} is too easy to guess, with nbvcxz's advice (English), or null when it is
   * strong enough.
   */
  static String weakness(String password, String username) {
    List<Dictionary> dictionaries = new ArrayList<>(DICTIONARIES);
    dictionaries.add(
        new DictionaryBuilder()
            .setDictionaryName(CONTEXT)
            .addWords(contextWords(username), 1)
            .createDictionary());
    Nbvcxz nbvcxz =
        new Nbvcxz(
            new ConfigurationBuilder()
                .setDictionaries(dictionaries)
                .setMinimumEntropy(MIN_ENTROPY_BITS)
                .setLocale(Locale.ENGLISH)
                .createConfiguration());
    Result r = nbvcxz.estimate(password);
    if (r.isMinimumEntropyMet()) {
      return null;
    }
    StringBuilder why = new StringBuilder("this password is too easy to guess");
    // nbvcxz words every dictionary hit as a common password; a context word deserves its own
    // reason.
    boolean context =
        r.getMatches().stream()
            .anyMatch(m -> m instanceof DictionaryMatch d && d.getDictionaryName().equals(CONTEXT));
    String warning =
        context
            ? "It is built on the username or the word bellwatch, which guessers try first."
            : r.getFeedback().getWarning();
    if (warning != null) {
      why.append(": ").append(warning);
    }
    for (String suggestion : r.getFeedback().getSuggestion()) {
      why.append(' ').append(suggestion);
    }
    return why.append(
            String.format(
                Locale.ROOT,
                " (about %.0f bits; at least %.0f are needed: a few uncommon"
                    + " words make a strong password)",
                r.getEntropy(),
                MIN_ENTROPY_BITS))
        .toString();
  }

  /**
   * The username, its parts ({@code ms.rivera}: {@code ms}, {@code rivera}) and the product's name.
   */
  private static Set<String> contextWords(String username) {
    Set<String> words = new LinkedHashSet<>();
    words.add("bellwatch");
    if (username != null) {
      String u = username.toLowerCase(Locale.ROOT);
      words.add(u);
      for (String part : u.split("[^\\p{L}\\p{N}]+")) {
        if (part.length() >= 3) {
          words.add(part);
        }
      }
    }
    return words;
  }
}
