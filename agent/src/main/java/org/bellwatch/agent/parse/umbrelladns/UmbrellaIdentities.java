package org.bellwatch.agent.parse.umbrelladns;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user hidden in Umbrella's identity columns, shared by the DNS and proxy exports: an AD user
 * is written {@code Full Name (user@domain)} (we keep the e-mail, which rosters carry), or as a
 * bare name when the first identity type is {@code AD Users}. Network, site and computer identities
 * are not users.
 */
public final class UmbrellaIdentities {
  private static final Pattern EMAIL = Pattern.compile("\\(([^()\\s]+@[^()\\s]+)\\)");

  private UmbrellaIdentities() {}

  public static String user(String mostGranular, String identities, String identityTypes) {
    for (String s : new String[] {mostGranular, identities}) {
      if (s != null) {
        Matcher m = EMAIL.matcher(s);
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    if (identityTypes != null && identityTypes.split(",")[0].strip().equals("AD Users")) {
      return mostGranular;
    }
    return null;
  }
}
