package org.bellwatch.agent.notify;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * One e-mail about one review step.
 *
 * @param kind {@code request} (to IT) or {@code decision} (to the teachers who asked)
 * @param to the recipients' addresses
 * @param subject one line, no control characters
 * @param body plain text
 * @param messageId the same for the same step every time, so a copy sent again after a crash reads
 *     as the same message (RFC 5322 section 3.6.4)
 */
public record Mail(String kind, List<String> to, String subject, String body, String messageId) {
  public Mail {
    to = List.copyOf(to);
  }

  /**
   * A message id: {@code <bellwatch.PART.PART...@DOMAIN>}, the domain being the sender's ({@code
   * from}: an address or {@code Name <address>}).
   */
  static String id(String from, Object... parts) {
    StringBuilder b = new StringBuilder("<bellwatch");
    for (Object p : parts) {
      b.append('.').append(p);
    }
    return b.append('@')
        .append(from.substring(from.lastIndexOf('@') + 1).replace(">", "").trim())
        .append('>')
        .toString();
  }

  /** A stable name for what a mail is about (a school, a school's review), for its id. */
  static UUID about(String... names) {
    return UUID.nameUUIDFromBytes(String.join("\n", names).getBytes(StandardCharsets.UTF_8));
  }
}
