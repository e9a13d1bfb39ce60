package org.bellwatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;
import org.bellwatch.agent.testing.TestCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** notifications.email: bound whole with its defaults, refused naming key, line and value. */
class NotificationsConfigTest {
  @TempDir Path dir;

  private BellwatchConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, "bellwatch.yaml", dir);
  }

  @Test
  void withoutANotificationsSectionNoOneIsMailed() throws Exception {
    assertThat(parse("site: {timezone: UTC}\n").notifications()).isEqualTo(Notifications.NONE);
  }

  @Test
  void aRelayWithStartTlsAndALoginIsBoundWithItsFilesBesideTheConfiguration() throws Exception {
    TestCertificate ca = TestCertificate.create(dir, "district-ca");
    Files.writeString(dir.resolve("smtp.password"), "s3cret\n");
    assertThat(
            parse(
                    """
                    notifications:
                      email:
                        smtp_host: smtp.district.example
                        tls_ca_file: district-ca.crt
                        username: bellwatch@district.example
                        password_file: smtp.password
                        from: "Bellwatch at Lincoln <bellwatch@district.example>"
                        it_to: [helpdesk@district.example, ed-tech@district.example]
                        console_url: https://bellwatch.lincoln.example/
                    """)
                .notifications()
                .email())
        .isEqualTo(
            new Notifications.Email(
                "smtp.district.example",
                587,
                Notifications.Security.STARTTLS,
                ca.certPem(),
                "bellwatch@district.example",
                dir.resolve("smtp.password"),
                "Bellwatch at Lincoln <bellwatch@district.example>",
                List.of("helpdesk@district.example", "ed-tech@district.example"),
                true,
                "https://bellwatch.lincoln.example/",
                List.of(),
                DayOfWeek.FRIDAY,
                LocalTime.of(15, 30)));
  }

  @Test
  void implicitTlsDefaultsToPort465AndALocalRelayWithoutTlsToPort25() throws Exception {
    assertThat(
            parse(
                    "notifications: {email: {smtp_host: smtp.example.org, security: tls,"
                        + " from: b@example.org, teachers: true}}\n")
                .notifications()
                .email()
                .port())
        .isEqualTo(465);
    assertThat(
            parse(
                    "notifications: {email: {smtp_host: localhost, security: none,"
                        + " from: b@example.org, it_to: [it@example.org], teachers: false}}\n")
                .notifications()
                .email())
        .isEqualTo(
            new Notifications.Email(
                "localhost",
                25,
                Notifications.Security.NONE,
                null,
                null,
                null,
                "b@example.org",
                List.of("it@example.org"),
                false,
                null,
                List.of(),
                DayOfWeek.FRIDAY,
                LocalTime.of(15, 30)));
  }

  @Test
  void everyMistakeIsRefusedAtStartNamingTheKeyAndTheValue() throws Exception {
    String ok = "smtp_host: smtp.example.org, from: b@example.org";
    assertThatThrownBy(() -> parse("notifications: {email: {from: b@example.org}}\n"))
        .hasMessage(
            "bellwatch.yaml:1: notifications.email.smtp_host: is required: the district's mail relay,"
                + " such as smtp.district.example");
    assertThatThrownBy(() -> parse("notifications: {email: {" + ok + ", security: ssl}}\n"))
        .hasMessage(
            "bellwatch.yaml:1: notifications.email.security: 'ssl' is not starttls, tls or none");
    assertThatThrownBy(() -> parse("notifications: {email: {" + ok + ", security: none}}\n"))
        .hasMessage(
            "bellwatch.yaml:1: notifications.email.security: none sends mail in the clear: allowed"
                + " only to a relay on this machine (smtp_host smtp.example.org is not loopback);"
                + " use starttls or tls");
    // A host name that only starts like a loopback address is a host elsewhere.
    assertThatThrownBy(
            () ->
                parse(
                    "notifications: {email: {smtp_host: 127.mail.example.org, from: b@example.org,"
                        + " security: none}}\n"))
        .hasMessageContaining("(smtp_host 127.mail.example.org is not loopback)");
    assertThat(
            parse(
                    "notifications: {email: {smtp_host: \"[::1]\", from: b@example.org,"
                        + " security: none}}\n")
                .notifications()
                .email()
                .host())
        .isEqualTo("[::1]");
    assertThatThrownBy(() -> parse("notifications: {email: {" + ok + ", smtp_port: 70000}}\n"))
        .hasMessageStartingWith("bellwatch.yaml:1: notifications.email.smtp_port: ");
    assertThatThrownBy(() -> parse("notifications: {email: {" + ok + ", username: bw}}\n"))
        .hasMessage(
            "bellwatch.yaml:1: notifications.email.password_file: is required with username");
    assertThatThrownBy(
            () -> parse("notifications: {email: {" + ok + ", password_file: missing.txt}}\n"))
        .hasMessage(
            "bellwatch.yaml:1: notifications.email.password_file: 'missing.txt' is not a readable"
                + " file");
    assertThatThrownBy(
            () -> parse("notifications: {email: {smtp_host: smtp.example.org, from: bellwatch}}\n"))
        .hasMessage(
            "bellwatch.yaml:1: notifications.email.from: 'bellwatch' is not an address or Name"
                + " <address>");
    assertThatThrownBy(
            () ->
                parse(
                    "notifications: {email: {"
                        + ok
                        + ", it_to: [\"it@example.org\\nBcc: x@evil.example\"]}}\n"))
        .hasMessage(
            "bellwatch.yaml:1: notifications.email.it_to: 'it@example.org\nBcc: x@evil.example' is"
                + " not an e-mail address");
    assertThatThrownBy(
            () -> parse("notifications: {email: {" + ok + ", it_to: [], teachers: false}}\n"))
        .hasMessage(
            "bellwatch.yaml:1: notifications.email.it_to: is empty, teachers is false and digest_to"
                + " is empty: this would send nothing");
    assertThatThrownBy(
            () -> parse("notifications: {email: {" + ok + ", console_url: bellwatch.local}}\n"))
        .hasMessage(
            "bellwatch.yaml:1: notifications.email.console_url: 'bellwatch.local' is not an"
                + " http(s):// address");
    Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
    assertThatThrownBy(
            () -> parse("notifications: {email: {" + ok + ", tls_ca_file: empty.pem}}\n"))
        .hasMessageStartingWith(
            "bellwatch.yaml:1: notifications.email.tls_ca_file: holds no certificate to trust: ");
    assertThatThrownBy(() -> parse("notifications: {email: {" + ok + ", digest_day: fri}}\n"))
        .hasMessage(
            "bellwatch.yaml:1: notifications.email.digest_day: 'fri' is not a weekday (monday ..."
                + " sunday)");
    assertThatThrownBy(
            () -> parse("notifications: {email: {" + ok + ", digest_time: \"3:30 PM\"}}\n"))
        .hasMessage(
            "bellwatch.yaml:1: notifications.email.digest_time: '3:30 PM' is not a time of day as"
                + " HH:MM (24-hour)");
    assertThatThrownBy(
            () -> parse("notifications: {email: {" + ok + ", digest_to: [principal]}}\n"))
        .hasMessage(
            "bellwatch.yaml:1: notifications.email.digest_to: 'principal' is not an e-mail address");
    assertThatThrownBy(() -> parse("notifications: {email: {" + ok + ", smtp_pass: x}}\n"))
        .hasMessageContaining("smtp_pass");
  }
}
