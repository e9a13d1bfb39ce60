package org.bellwatch.agent.cli;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigException;
import org.bellwatch.agent.config.Notifications;
import org.bellwatch.agent.notify.TestMail;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "mail-test",
    mixinStandardHelpOptions = true,
    description =
        "Send one test mail through notifications.email's relay, to it_to or --to (0 sent, 1 the relay"
            + " did not take it, 2 configuration).")
final class MailTestCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = "--to",
      paramLabel = "ADDRESS",
      description = "Send it here instead of notifications.email.it_to (repeatable).")
  List<String> to;

  @Override
  public Integer call() {
    try {
      BellwatchConfig cfg = config.load();
      Notifications.Email email = cfg.notifications().email();
      if (email == null) {
        throw new ConfigException("mail-test: notifications.email is not configured");
      }
      List<String> recipients = to == null || to.isEmpty() ? email.itTo() : to;
      if (recipients.isEmpty()) {
        throw new ConfigException(
            "mail-test: notifications.email.it_to is empty: give --to ADDRESS");
      }
      for (String r : recipients) {
        if (!Notifications.ADDRESS.matcher(r).matches()) {
          throw new ConfigException("mail-test: --to: '" + r + "' is not an e-mail address");
        }
      }
      TestMail.Outcome o = TestMail.send(email, cfg.site().name(), recipients, Clock.systemUTC());
      if (!o.sent()) {
        return Errors.fail(
            BellwatchCli.EXIT_FAILURE,
            "mail-test: not sent to "
                + String.join(", ", recipients)
                + ": "
                + o.message()
                + (o.permanent() ? "" : " (a later try may work)"));
      }
      System.out.println(
          "mail-test: sent to " + String.join(", ", recipients) + ": " + o.message());
      return 0;
    } catch (ConfigException e) {
      return Errors.fail(BellwatchCli.EXIT_CONFIG, e.getMessage());
    }
  }
}
