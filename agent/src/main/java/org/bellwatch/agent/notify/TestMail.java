package org.bellwatch.agent.notify;

import java.time.Clock;
import java.util.List;
import org.bellwatch.agent.config.Notifications;

/**
 * One mail through the configured relay, to check the settings before any request depends on them
 * ({@code bellwatch mail-test}): the same connection, TLS, login and sender as the notifications
 * use.
 */
public final class TestMail {
  private TestMail() {}

  /**
   * What became of the test mail: sent, or the relay's answer (and whether trying later may help).
   */
  public record Outcome(boolean sent, boolean permanent, String message) {}

  public static Outcome send(
      Notifications.Email cfg, String siteName, List<String> to, Clock clock) {
    Mail mail =
        new Mail(
            "test",
            to,
            ReviewMails.line("Bellwatch test mail from " + siteName),
            "This is a test of Bellwatch's mail settings at "
                + siteName
                + " (notifications.email).\n"
                + "Unblock requests will reach "
                + (cfg.itTo().isEmpty() ? "no one (it_to is empty)" : String.join(", ", cfg.itTo()))
                + "; decisions "
                + (cfg.teachers()
                    ? "reach the teachers who asked."
                    : "are not mailed (teachers: false).")
                + "\n",
            Mail.id(cfg.from(), "test", clock.millis()));
    try {
      new SmtpRelay(cfg, clock).send(mail);
      return new Outcome(true, false, "the relay " + cfg.host() + ":" + cfg.port() + " took it");
    } catch (SmtpRelay.Refused e) {
      return new Outcome(false, true, e.getMessage());
    } catch (SmtpRelay.Unavailable e) {
      return new Outcome(false, false, e.getMessage());
    }
  }
}
