package org.bellwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.testing.SiteFolder;
import org.bellwatch.agent.web.Passwords;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersCommandTest {
  @TempDir Path dir;
  String config;

  @BeforeEach
  void configure() throws Exception {
    SiteFolder.write(
        dir.resolve("c.yaml"), "store: {dir: store}\nauth: {pbkdf2_iterations: 1000}\n");
    config = dir.resolve("c.yaml").toString();
  }

  static BellwatchCliTest.Result withStdin(String stdin, String... args) {
    InputStream old = System.in;
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      return BellwatchCliTest.run(args);
    } finally {
      System.setIn(old);
    }
  }

  @Test
  void addReadsThePasswordFromStandardInputHashesItAndListShowsTheAccount() throws Exception {
    BellwatchCliTest.Result add =
        withStdin(
            "correct horse battery\n",
            "users",
            "add",
            "--config",
            config,
            "--role",
            "admin",
            "IT.Lead");
    assertThat(add)
        .isEqualTo(new BellwatchCliTest.Result(0, "account it.lead added with role admin\n", ""));
    assertThat(BellwatchCliTest.run("users", "list", "--config", config))
        .isEqualTo(new BellwatchCliTest.Result(0, "it.lead\tadmin\tenabled\n", ""));
    try (EventStore store = EventStore.open(dir.resolve("store"), ZoneId.of("UTC"), false)) {
      String hash = store.console().accounts().get("it.lead").orElseThrow().passwordHash();
      assertThat(hash).startsWith("pbkdf2-sha256$1$1000$").doesNotContain("correct horse battery");
      assertThat(Passwords.verify("correct horse battery".toCharArray(), hash)).isTrue();
      List<AuditEntry> audit = store.console().auditLog().newest(10);
      assertThat(audit).hasSize(1);
      assertThat(audit.get(0))
          .isEqualTo(
              new AuditEntry(
                  audit.get(0).time(),
                  "cli:" + System.getProperty("user.name"),
                  "account_added",
                  "it.lead",
                  "local",
                  "role admin"));
    }
  }

  @Test
  void aWeakPasswordAnUnknownRoleAndADuplicateAreRefusedWithExitStatusTwo() throws Exception {
    assertThat(withStdin("short\n", "users", "add", "--config", config, "--role", "admin", "ana"))
        .isEqualTo(
            new BellwatchCliTest.Result(
                2, "", "bellwatch: password refused: a password needs at least 12 characters\n"));
    assertThat(
            withStdin(
                "correct horse battery\n",
                "users",
                "add",
                "--config",
                config,
                "--role",
                "principal",
                "ana"))
        .isEqualTo(
            new BellwatchCliTest.Result(
                2,
                "",
                "bellwatch: --role: 'principal' is not admin, coordinator, viewer"
                    + " or teacher\n"));
    withStdin(
        "correct horse battery\n", "users", "add", "--config", config, "--role", "viewer", "ana");
    assertThat(
            withStdin(
                "correct horse battery\n",
                "users",
                "add",
                "--config",
                config,
                "--role",
                "viewer",
                "ana"))
        .isEqualTo(
            new BellwatchCliTest.Result(
                2, "", "bellwatch: account ana already exists (use users passwd)\n"));
  }

  @Test
  void aTeacherAccountIsAddedWithTheTeacherRole() throws Exception {
    assertThat(
            withStdin(
                "correct horse battery\n",
                "users",
                "add",
                "--config",
                config,
                "--role",
                "teacher",
                "ARivera@School.example"))
        .isEqualTo(
            new BellwatchCliTest.Result(
                0, "account arivera@school.example added with role teacher\n", ""));
    assertThat(BellwatchCliTest.run("users", "list", "--config", config))
        .isEqualTo(
            new BellwatchCliTest.Result(0, "arivera@school.example\tteacher\tenabled\n", ""));
  }

  @Test
  void passwdReadsAPasswordFileAndDisableMarksTheAccount() throws Exception {
    withStdin(
        "correct horse battery\n",
        "users",
        "add",
        "--config",
        config,
        "--role",
        "coordinator",
        "ana");
    Path file = dir.resolve("pw");
    Files.writeString(file, "a brand new passphrase\n");
    assertThat(
            BellwatchCliTest.run(
                "users", "passwd", "--config", config, "--password-file", file.toString(), "ana"))
        .isEqualTo(new BellwatchCliTest.Result(0, "password of ana changed\n", ""));
    assertThat(BellwatchCliTest.run("users", "disable", "--config", config, "ana"))
        .isEqualTo(new BellwatchCliTest.Result(0, "account ana disabled\n", ""));
    assertThat(BellwatchCliTest.run("users", "list", "--config", config))
        .isEqualTo(new BellwatchCliTest.Result(0, "ana\tcoordinator\tdisabled\n", ""));
    try (EventStore store = EventStore.open(dir.resolve("store"), ZoneId.of("UTC"), false)) {
      assertThat(
              Passwords.verify(
                  "a brand new passphrase".toCharArray(),
                  store.console().accounts().get("ana").orElseThrow().passwordHash()))
          .isTrue();
    }
  }

  @Test
  void password1234IsRefusedByAddAndPasswdWithTheStrengthAdvice() throws Exception {
    String refused =
        "bellwatch: password refused: this password is too easy to guess: This is a top-10 common"
            + " password. Add another word or two. Uncommon words are better. (about 4 bits; at least 35 are needed: a few"
            + " uncommon words make a strong password)\n";
    assertThat(
            withStdin(
                "password1234\n", "users", "add", "--config", config, "--role", "admin", "ana"))
        .isEqualTo(new BellwatchCliTest.Result(2, "", refused));
    withStdin(
        "correct horse battery\n", "users", "add", "--config", config, "--role", "admin", "ana");
    assertThat(withStdin("password1234\n", "users", "passwd", "--config", config, "ana"))
        .isEqualTo(new BellwatchCliTest.Result(2, "", refused));
  }
}
