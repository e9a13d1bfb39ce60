package org.bellwatch.agent.notify;

import java.util.List;

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
}
