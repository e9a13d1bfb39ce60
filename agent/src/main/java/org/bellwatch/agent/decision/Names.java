package org.bellwatch.agent.decision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of the objects a snippet creates (Squid ACLs, Unbound tags, BIND ACL and view, the RPZ
 * zone), derived from the site so that IT can tell them apart and two exemptions never share one.
 * Long sites are cut and given a hash of the whole name: Squid refuses ACL names of 64 characters
 * or more.
 */
final class Names {
  /** Longest site part of a name. */
  static final int MAX_ID = 32;

  /** Parent of every exemption's policy zone. */
  static final String ZONE_PARENT = "allow.bellwatch";

  /** Longest policy zone name: the site part, a dot and the parent. */
  static final int MAX_ZONE = MAX_ID + 1 + ZONE_PARENT.length();

  private Names() {}

  /**
   * The site part: the name itself when short, else its start and eight hex digits of its SHA-256.
   */
  static String id(String domain) {
    if (domain.length() <= MAX_ID) {
      return domain;
    }
    String head = domain.substring(0, MAX_ID - 9).replaceAll("[.-]+$", "");
    return head + "." + sha256(domain).substring(0, 8);
  }

  /** The RPZ policy zone that holds this site's passthru rules. */
  static String zone(String domain) {
    return id(domain) + "." + ZONE_PARENT;
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
