package org.bellwatch.agent.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.util.PemTrust;

/**
 * Binds and checks {@code notifications:}. What the mail relay would only refuse at the first
 * request or answer, hours later (an address it cannot read, a password sent in the clear), is
 * refused at start naming the key and the value.
 */
final class NotificationsLoader {
  /** {@code Display Name <address>}: a one-line name without angle brackets or quotes. */
  private static final Pattern NAMED = Pattern.compile("([^<>\"\\r\\n]{0,100})<([^<>]+)>");

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,253}");

  private NotificationsLoader() {}

  static Notifications load(Section s, Path base) throws ConfigException {
    Notifications.Email email = s.has("email") ? email(s.section("email"), base) : null;
    s.finish();
    return new Notifications(email);
  }

  private static Notifications.Email email(Section s, Path base) throws ConfigException {
    String host = s.string("smtp_host", null);
    if (host == null || !HOST.matcher(host).matches()) {
      throw s.error(
          "smtp_host",
          host == null
              ? "is required: the district's mail relay, such as smtp.district.example"
              : "'" + host + "' is not a host name or address");
    }
    String securityText = s.string("security", "starttls");
    Notifications.Security security;
    try {
      security = Notifications.Security.valueOf(securityText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw s.error("security", "'" + securityText + "' is not starttls, tls or none");
    }
    int defaultPort =
        switch (security) {
          case STARTTLS -> 587;
          case TLS -> 465;
          case NONE -> 25;
        };
    int port = (int) s.number("smtp_port", defaultPort, 1, 65535);
    Path tlsCaFile = KafkaLinkLoader.readable(s, "tls_ca_file", base);
    if (tlsCaFile != null && security == Notifications.Security.NONE) {
      throw s.error("tls_ca_file", "is set but security none does not use TLS");
    }
    if (tlsCaFile != null) {
      try {
        PemTrust.trusting(tlsCaFile);
      } catch (IOException e) {
        throw s.error("tls_ca_file", "holds no certificate to trust: " + e.getMessage());
      }
    }
    String username = s.string("username", null);
    Path passwordFile = KafkaLinkLoader.readable(s, "password_file", base);
    if ((username == null) != (passwordFile == null)) {
      throw s.error(
          username == null ? "username" : "password_file",
          "is required with " + (username == null ? "password_file" : "username"));
    }
    if (security == Notifications.Security.NONE && !loopback(host)) {
      throw s.error(
          "security",
          "none sends mail in the clear: allowed only to a relay on this machine (smtp_host "
              + host
              + " is not loopback); use starttls or tls");
    }
    String from = s.string("from", null);
    if (from == null || !isMailbox(from)) {
      throw s.error(
          "from",
          from == null
              ? "is required: the sender, such as Bellwatch <bellwatch@district.example>"
              : "'" + from + "' is not an address or Name <address>");
    }
    List<String> itTo = s.strings("it_to", List.of());
    for (String a : itTo) {
      if (!Notifications.ADDRESS.matcher(a).matches()) {
        throw s.error("it_to", "'" + a + "' is not an e-mail address");
      }
    }
    boolean teachers = s.bool("teachers", true);
    List<String> digestTo = s.strings("digest_to", List.of());
    for (String a : digestTo) {
      if (!Notifications.ADDRESS.matcher(a).matches()) {
        throw s.error("digest_to", "'" + a + "' is not an e-mail address");
      }
    }
    if (itTo.isEmpty() && !teachers && digestTo.isEmpty()) {
      throw s.error(
          "it_to", "is empty, teachers is false and digest_to is empty: this would send nothing");
    }
    String dayText = s.string("digest_day", "friday");
    DayOfWeek digestDay;
    try {
      digestDay = DayOfWeek.valueOf(dayText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw s.error("digest_day", "'" + dayText + "' is not a weekday (monday ... sunday)");
    }
    String timeText = s.string("digest_time", "15:30");
    LocalTime digestTime;
    try {
      if (!timeText.matches("\\d{2}:\\d{2}")) {
        throw new DateTimeParseException("not HH:MM", timeText, 0);
      }
      digestTime = LocalTime.parse(timeText);
    } catch (DateTimeParseException e) {
      throw s.error("digest_time", "'" + timeText + "' is not a time of day as HH:MM (24-hour)");
    }
    String consoleUrl = s.string("console_url", null);
    if (consoleUrl != null
            && !(consoleUrl.startsWith("https://") || consoleUrl.startsWith("http://"))
        || consoleUrl != null && consoleUrl.chars().anyMatch(c -> c <= ' ')) {
      throw s.error("console_url", "'" + consoleUrl + "' is not an http(s):// address");
    }
    s.finish();
    return new Notifications.Email(
        host,
        port,
        security,
        tlsCaFile,
        username,
        passwordFile,
        from,
        itTo,
        teachers,
        consoleUrl,
        digestTo,
        digestDay,
        digestTime);
  }

  /** An address, or {@code Name <address>}. */
  static boolean isMailbox(String text) {
    var m = NAMED.matcher(text.trim());
    String address = m.matches() ? m.group(2).trim() : text.trim();
    return Notifications.ADDRESS.matcher(address).matches();
  }

  /** Whether the relay is on this machine: localhost, or an address literal in 127/8 or ::1. */
  private static boolean loopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    InetAddress ip = AddressText.parseIp(host.replace("[", "").replace("]", ""));
    return ip != null && ip.isLoopbackAddress();
  }
}
