package org.bellwatch.agent.parse;

import java.util.Set;

/**
 * The names that schools point at a search engine's enforced-SafeSearch (or YouTube
 * restricted-mode) address through their DNS filter, as each vendor documents it: Google's "Lock
 * SafeSearch for devices and networks" ({@code www.google.com} and the country domains {@code
 * www.google.<tld>} to {@code forcesafesearch.google.com}), YouTube's "Restrict YouTube content on
 * your network" ({@code www.youtube.com}, {@code m.youtube.com}, {@code youtubei.googleapis.com},
 * {@code youtube.googleapis.com}, {@code www.youtube-nocookie.com} to {@code
 * restrict.youtube.com}), Bing's "Block adult content with SafeSearch" ({@code www.bing.com} to
 * {@code strict.bing.com}) and DuckDuckGo ({@code duckduckgo.com} to {@code safe.duckduckgo.com}).
 *
 * <p>A DNS filter that <em>rewrites</em> one of these names (an Unbound {@code redirect} zone, an
 * RPZ Local-Data or CNAME record) keeps the site working with filtered results: the student was not
 * refused, so it is no block. Refusing the name (NXDOMAIN, NODATA, a dropped query) still is.
 */
public final class SafeSearch {
  private static final Set<String> NAMES =
      Set.of(
          "www.youtube.com",
          "m.youtube.com",
          "youtubei.googleapis.com",
          "youtube.googleapis.com",
          "www.youtube-nocookie.com",
          "www.bing.com",
          "duckduckgo.com",
          "www.duckduckgo.com");
  private static final String GOOGLE = "www.google.";

  /** Longest Google country suffix: {@code com.xx} / {@code co.xx}. */
  private static final int MAX_GOOGLE_SUFFIX = 6;

  private SafeSearch() {}

  /**
   * True when {@code domain} (normalized, see {@link Domains}) is a name that SafeSearch
   * enforcement rewrites.
   */
  public static boolean isEnforcedName(String domain) {
    if (domain == null) {
      return false;
    }
    if (NAMES.contains(domain)) {
      return true;
    }
    if (!domain.startsWith(GOOGLE)) {
      return false;
    }
    // www.google.com, www.google.de, www.google.co.uk, www.google.com.au: one country or generic
    // label,
    // optionally after "co." or "com.".
    String suffix = domain.substring(GOOGLE.length());
    if (suffix.isEmpty() || suffix.length() > MAX_GOOGLE_SUFFIX) {
      return false;
    }
    int dot = suffix.indexOf('.');
    if (dot < 0) {
      return isLetters(suffix);
    }
    String first = suffix.substring(0, dot);
    String country = suffix.substring(dot + 1);
    return (first.equals("co") || first.equals("com"))
        && country.length() == 2
        && isLetters(country);
  }

  private static boolean isLetters(String s) {
    if (s.length() < 2) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 'a' || c > 'z') {
        return false;
      }
    }
    return true;
  }
}
