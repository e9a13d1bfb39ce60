package org.bellwatch.agent.notify;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;
import org.bellwatch.agent.config.Notifications;

/**
 * notifications.email for the notification tests: a loopback relay without TLS that tells IT
 * (it@district.example) and the teachers, with no weekly summary, changed one part at a time.
 */
final class MailSettings {
  private int port = 25;
  private Notifications.Security security = Notifications.Security.NONE;
  private Path ca;
  private List<String> itTo = List.of("it@district.example");
  private boolean teachers = true;
  private String consoleUrl;
  private List<String> digestTo = List.of();
  private DayOfWeek digestDay = DayOfWeek.FRIDAY;
  private LocalTime digestTime = LocalTime.of(15, 30);

  static MailSettings relay(int port) {
    MailSettings s = new MailSettings();
    s.port = port;
    return s;
  }

  MailSettings startTls(Path caFile) {
    security = Notifications.Security.STARTTLS;
    ca = caFile;
    return this;
  }

  MailSettings itTo(List<String> addresses) {
    itTo = addresses;
    return this;
  }

  MailSettings teachers(boolean tell) {
    teachers = tell;
    return this;
  }

  MailSettings consoleUrl(String url) {
    consoleUrl = url;
    return this;
  }

  MailSettings digest(List<String> to, DayOfWeek day, LocalTime time) {
    digestTo = to;
    digestDay = day;
    digestTime = time;
    return this;
  }

  Notifications.Email build() {
    return new Notifications.Email(
        "127.0.0.1",
        port,
        security,
        ca,
        null,
        null,
        "Bellwatch <bellwatch@school.example>",
        itTo,
        teachers,
        consoleUrl,
        digestTo,
        digestDay,
        digestTime);
  }
}
