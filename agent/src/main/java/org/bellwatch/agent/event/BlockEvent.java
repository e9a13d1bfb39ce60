package org.bellwatch.agent.event;

import java.time.Instant;
import java.util.List;

/**
 * One blocked attempt with its attribution, in the shape of DESIGN.md "Block events". Unknown
 * values are null, never guessed; {@code evidence} says which record proved each step. {@code
 * whileTeaching}: the attempt came from a teacher (their account, or their device) in a section
 * they teach while it was in session, so the lesson itself was stopped; {@code section} is that
 * section and {@code teacher} that teacher.
 */
public record BlockEvent(
    Instant time,
    String clientIp,
    String mac,
    String hostname,
    String user,
    String domain,
    String url,
    String category,
    String source,
    String method,
    String room,
    String section,
    String course,
    String teacher,
    String period,
    boolean instructional,
    boolean whileTeaching,
    List<String> evidence) {
  public BlockEvent {
    evidence = List.copyOf(evidence);
  }

  /** An event that was not blocked while teaching (as every event was before the flag was kept). */
  public BlockEvent(
      Instant time,
      String clientIp,
      String mac,
      String hostname,
      String user,
      String domain,
      String url,
      String category,
      String source,
      String method,
      String room,
      String section,
      String course,
      String teacher,
      String period,
      boolean instructional,
      List<String> evidence) {
    this(
        time,
        clientIp,
        mac,
        hostname,
        user,
        domain,
        url,
        category,
        source,
        method,
        room,
        section,
        course,
        teacher,
        period,
        instructional,
        false,
        evidence);
  }
}
