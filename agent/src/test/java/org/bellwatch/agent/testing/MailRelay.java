package org.bellwatch.agent.testing;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

/**
 * A real SMTP server on loopback: Debian's aiosmtpd ({@code python3-aiosmtpd}) delivering every
 * message it accepts into a Maildir, which the test reads. Skips the calling test when aiosmtpd is
 * missing, unless {@code -Dbellwatch.smtp.required=true} (scripts/test) makes that a failure.
 */
public final class MailRelay implements AutoCloseable {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private final Process process;
  private final Path maildir;
  private final int port;

  private MailRelay(Process process, Path maildir, int port) {
    this.process = process;
    this.maildir = maildir;
    this.port = port;
  }

  public static void assumeAvailable() throws Exception {
    boolean here =
        Files.isExecutable(PYTHON)
            && new ProcessBuilder(PYTHON.toString(), "-c", "import aiosmtpd")
                    .redirectErrorStream(true)
                    .start()
                    .waitFor()
                == 0;
    Assumptions.assumeTrue(
        here || Boolean.getBoolean("bellwatch.smtp.required"),
        "aiosmtpd not installed (scripts/test installs python3-aiosmtpd and makes this test required)");
  }

  /** Plain SMTP on {@code port} (0: any free one). */
  public static MailRelay start(Path dir, int port) throws Exception {
    return start(dir, port, null);
  }

  /** With STARTTLS offered and required before mail, under this certificate, when not null. */
  public static MailRelay start(Path dir, int port, TestCertificate tls) throws Exception {
    int p = port == 0 ? ForkedAgent.freePort() : port;
    Path maildir = Files.createDirectories(dir.resolve("maildir-" + p));
    for (String sub : List.of("tmp", "new", "cur")) {
      Files.createDirectories(maildir.resolve(sub));
    }
    List<String> cmd =
        new ArrayList<>(List.of(PYTHON.toString(), "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + p));
    if (tls != null) {
      cmd.addAll(
          List.of("--tlscert", tls.certPem().toString(), "--tlskey", tls.keyPem().toString()));
    }
    cmd.addAll(List.of("-c", "aiosmtpd.handlers.Mailbox", maildir.toString()));
    Process proc =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("aiosmtpd-" + p + ".log").toFile())
            .start();
    MailRelay relay = new MailRelay(proc, maildir, p);
    Awaitility.await("aiosmtpd listening on " + p)
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> {
              if (!proc.isAlive()) {
                throw new AssertionError(
                    "aiosmtpd exited: " + Files.readString(dir.resolve("aiosmtpd-" + p + ".log")));
              }
              try (Socket s = new Socket("127.0.0.1", p)) {
                return true;
              }
            });
    return relay;
  }

  public int port() {
    return port;
  }

  /** Every message delivered so far, oldest first. */
  public List<MimeMessage> messages() throws Exception {
    Path fresh = maildir.resolve("new");
    if (!Files.isDirectory(fresh)) {
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(fresh)) {
      // Maildir names start with the delivery time in seconds, then a unique part.
      files = s.sorted((a, b) -> Long.compare(modified(a), modified(b))).toList();
    }
    List<MimeMessage> out = new ArrayList<>();
    Session session = Session.getInstance(new Properties());
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        out.add(new MimeMessage(session, in));
      }
    }
    return out;
  }

  /** Waits for {@code n} messages in all and returns them. */
  public List<MimeMessage> awaitMessages(int n) throws Exception {
    Awaitility.await(n + " messages delivered")
        .atMost(Duration.ofSeconds(60))
        .until(() -> messages().size() >= n);
    return messages();
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
