package org.bellwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.bellwatch.agent.testing.ForkedAgent;
import org.bellwatch.agent.testing.MailRelay;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bellwatch mail-test}: IT checks the mail settings before a request depends on them. */
class MailTestCommandTest {
  @TempDir Path dir;

  Path config(int port) throws Exception {
    Path c = dir.resolve("bellwatch.yaml");
    SiteFolder.write(
        c,
        """
        site: {name: Lincoln Middle, timezone: America/Chicago}
        notifications:
          email:
            smtp_host: 127.0.0.1
            smtp_port: %d
            security: none
            from: "Bellwatch <bellwatch@district.example>"
            it_to: [helpdesk@district.example]
        """
            .formatted(port));
    return c;
  }

  @Test
  void aTestMailGoesThroughTheConfiguredRelayToItTo() throws Exception {
    MailRelay.assumeAvailable();
    try (MailRelay relay = MailRelay.start(dir, 0)) {
      BellwatchCliTest.Result r =
          BellwatchCliTest.run("mail-test", "--config", config(relay.port()).toString());
      assertThat(r)
          .isEqualTo(
              new BellwatchCliTest.Result(
                  0,
                  "mail-test: sent to helpdesk@district.example: the relay 127.0.0.1:"
                      + relay.port()
                      + " took it\n",
                  ""));
      var m = relay.awaitMessages(1).get(0);
      assertThat(m.getSubject()).isEqualTo("Bellwatch test mail from Lincoln Middle");
      assertThat(m.getContent())
          .isEqualTo(
              "This is a test of Bellwatch's mail settings at Lincoln Middle"
                  + " (notifications.email).\nUnblock requests will reach helpdesk@district.example;"
                  + " decisions reach the teachers who asked.\n");
    }
  }

  @Test
  void aRelayThatCannotBeReachedExitsOneSayingSoAndNoConfigurationExitsTwo() throws Exception {
    int port = ForkedAgent.freePort();
    BellwatchCliTest.Result r =
        BellwatchCliTest.run(
            "mail-test", "--config", config(port).toString(), "--to", "me@district.example");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err())
        .startsWith(
            "bellwatch: mail-test: not sent to me@district.example: cannot hand it to 127.0.0.1:"
                + port
                + ": ")
        .endsWith(" (a later try may work)\n");

    SiteFolder.write(dir.resolve("plain.yaml"), "site: {timezone: UTC}\n");
    assertThat(BellwatchCliTest.run("mail-test", "--config", dir.resolve("plain.yaml").toString()))
        .isEqualTo(
            new BellwatchCliTest.Result(
                2, "", "bellwatch: mail-test: notifications.email is not configured\n"));
    assertThat(
            BellwatchCliTest.run(
                    "mail-test", "--config", config(port).toString(), "--to", "not an address")
                .err())
        .isEqualTo("bellwatch: mail-test: --to: 'not an address' is not an e-mail address\n");
  }

  @Test
  void checkConfigSaysWhatTheMailSettingsWillDo() throws Exception {
    BellwatchCliTest.Result r =
        BellwatchCliTest.run("check-config", "--config", config(2525).toString());
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "configuration ok: site 'Lincoln Middle' in America/Chicago, 0 sections, 0 capture"
                + " interfaces, 0 capture files, 0 log files; mail via 127.0.0.1:2525 (none) to 1 IT"
                + " address(es) for requests, teachers for decisions, no weekly summary\n");
  }
}
