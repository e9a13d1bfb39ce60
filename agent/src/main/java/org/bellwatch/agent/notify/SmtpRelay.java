package org.bellwatch.agent.notify;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Date;
import java.util.Properties;
import org.bellwatch.agent.config.Notifications;
import org.bellwatch.agent.util.PemTrust;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Hands mails to the district's SMTP relay (RFC 5321) with Jakarta Mail: STARTTLS required (RFC
 * 3207) or TLS from the first byte (RFC 8314), the relay's certificate checked against its name
 * (and, with {@code tls_ca_file}, against the district's own CA only), AUTH with the password read
 * from its file at each send. A reply the relay means for good (5xx, RFC 5321 section 4.2.1) is
 * {@link Refused}; everything else (no connection, a timeout, 4xx, a login refused) is {@link
 * Unavailable}: the step is tried again later.
 */
final class SmtpRelay {
  /**
   * How long a connection, a reply or a write may take. Short enough that stopping the agent waits
   * for at most one (ReviewNotifier's close), long enough for a busy relay.
   */
  static final int TIMEOUT_MS = 10_000;

  private final Notifications.Email cfg;
  private final Clock clock;
  private final Session session;

  /** The relay refused the message, or every recipient, for good. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /** The relay could not take the message now. */
  static final class Unavailable extends Exception {
    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  SmtpRelay(Notifications.Email cfg, Clock clock) {
    this.cfg = cfg;
    this.clock = clock;
    Properties p = new Properties();
    p.put("mail.smtp.host", cfg.host());
    p.put("mail.smtp.port", Integer.toString(cfg.port()));
    p.put("mail.smtp.connectiontimeout", Integer.toString(TIMEOUT_MS));
    p.put("mail.smtp.timeout", Integer.toString(TIMEOUT_MS));
    p.put("mail.smtp.writetimeout", Integer.toString(TIMEOUT_MS));
    // A recipient the relay refuses must not keep the others from their copy.
    p.put("mail.smtp.sendpartial", "true");
    p.put("mail.smtp.auth", Boolean.toString(cfg.username() != null));
    switch (cfg.security()) {
      case STARTTLS -> {
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.checkserveridentity", "true");
      }
      case TLS -> {
        p.put("mail.smtp.ssl.enable", "true");
        p.put("mail.smtp.ssl.checkserveridentity", "true");
      }
      case NONE -> {}
    }
    trust(p, cfg);
    this.session = Session.getInstance(p);
  }

  /**
   * Adds to the relay's connection properties a socket factory trusting only {@code tls_ca_file},
   * when it is set (Angus Mail uses it for implicit TLS and for STARTTLS alike).
   */
  private static void trust(Properties p, Notifications.Email cfg) {
    if (cfg.tlsCaFile() != null) {
      try {
        p.put("mail.smtp.ssl.socketFactory", PemTrust.trusting(cfg.tlsCaFile()).getSocketFactory());
      } catch (IOException e) {
        // The configuration's check read it at start; it was changed since.
        throw new UncheckedIOException("notifications.email.tls_ca_file: " + e.getMessage(), e);
      }
    }
  }

  void send(Mail mail) throws Refused, Unavailable {
    MimeMessage m;
    try {
      m = message(mail);
    } catch (MessagingException e) {
      throw new Refused("cannot write the mail: " + e.getMessage());
    }
    try {
      if (cfg.username() == null) {
        Transport.send(m);
      } else {
        Transport.send(m, cfg.username(), password());
      }
    } catch (SendFailedException e) {
      Address[] sent = e.getValidSentAddresses();
      if (sent != null && sent.length > 0) {
        // Some recipients have it: the mail is sent; the others were refused for good.
        return;
      }
      if (permanent(e)) {
        throw new Refused("the relay refused it: " + describe(e));
      }
      throw new Unavailable("the relay did not take it: " + describe(e), e);
    } catch (MessagingException e) {
      throw new Unavailable(
          "cannot hand it to " + cfg.host() + ":" + cfg.port() + ": " + describe(e), e);
    } catch (IOException e) {
      throw new Unavailable("cannot read notifications.email.password_file: " + e.getMessage(), e);
    }
  }

  private MimeMessage message(Mail mail) throws MessagingException {
    String id = mail.messageId();
    MimeMessage m =
        new MimeMessage(session) {
          @Override
          protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", id);
          }
        };
    m.setFrom(new InternetAddress(cfg.from(), true));
    for (String to : mail.to()) {
      m.addRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
    }
    m.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
    m.setText(mail.body(), StandardCharsets.UTF_8.name());
    m.setSentDate(Date.from(clock.instant()));
    m.setHeader("Auto-Submitted", "auto-generated");
    return m;
  }

  private String password() throws IOException {
    return Files.readString(cfg.passwordFile(), StandardCharsets.UTF_8).strip();
  }

  /** Whether the relay's reply, here or in a nested exception, is a 5xx: it will not change. */
  private static boolean permanent(MessagingException e) {
    for (Exception x = e; x != null; ) {
      int code =
          x instanceof SMTPSendFailedException s
              ? s.getReturnCode()
              : x instanceof SMTPAddressFailedException a ? a.getReturnCode() : -1;
      if (code >= 500 && code < 600) {
        return true;
      }
      x = x instanceof MessagingException m ? m.getNextException() : null;
    }
    return false;
  }

  private static String describe(Exception e) {
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()).strip());
    Throwable c = e.getCause();
    if (c != null && c.getMessage() != null && !b.toString().contains(c.getMessage())) {
      b.append(" (").append(c.getMessage().strip()).append(')');
    }
    return b.toString().replaceAll("\\s+", " ");
  }
}
