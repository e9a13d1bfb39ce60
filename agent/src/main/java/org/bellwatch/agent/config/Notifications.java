package org.bellwatch.agent.config;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Who hears of a review's next step, and how ({@code notifications:}): today by e-mail, or not at
 * all ({@code email} null).
 */
public record Notifications(Email email) {
  public static final Notifications NONE = new Notifications(null);

  /**
   * A mailbox as RFC 5322 section 3.4.1 writes it, in the common subset relays accept: a local part
   * without spaces, quotes or angle brackets, and a domain of DNS labels.
   */
  public static final Pattern ADDRESS =
      Pattern.compile(
          "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");

  /** How the SMTP connection is protected. */
  public enum Security {
    /**
     * Plain SMTP, upgraded with STARTTLS (RFC 3207) before anything else is sent; refused without
     * it.
     */
    STARTTLS,
    /** TLS from the first byte (RFC 8314, "implicit TLS", usually port 465). */
    TLS,
    /** No TLS at all: only for a relay on this machine's loopback. */
    NONE
  }

  /**
   * E-mail through the district's SMTP relay ({@code notifications.email}).
   *
   * @param tlsCaFile the PEM certificates to trust for the relay instead of the JDK's public CAs (a
   *     district's own CA), or null
   * @param passwordFile the SMTP password's file (read when sending, so it may be rotated), or null
   *     without {@code username}
   * @param from the sender, an address or {@code Name <address>}
   * @param itTo who is told of every new unblock request
   * @param teachers whether the teachers who asked hear IT's decision
   * @param consoleUrl the console's address as staff reach it, for links in the mails (null: no
   *     links)
   * @param digestTo who receives the weekly summary (coordinators, the principal); empty: none
   * @param digestDay the school weekday the weekly summary is sent on
   * @param digestTime the school-local time it is sent at
   */
  public record Email(
      String host,
      int port,
      Security security,
      Path tlsCaFile,
      String username,
      Path passwordFile,
      String from,
      List<String> itTo,
      boolean teachers,
      String consoleUrl,
      List<String> digestTo,
      DayOfWeek digestDay,
      LocalTime digestTime) {
    public Email {
      itTo = List.copyOf(itTo);
      digestTo = List.copyOf(digestTo);
    }
  }
}
