package org.bellwatch.agent.correlate;

import java.time.Instant;
import java.util.List;

/**
 * One blocked attempt with its attribution, in the shape of DESIGN.md "Block events". Unknown values
 * are null, never guessed; {@code evidence} says which record proved each step.
 */
public record BlockEvent(Instant time, String clientIp, String mac, String hostname, String user, String domain,
    String url, String category, String source, String method, String room, String section, String course,
    String teacher, String period, boolean instructional, List<String> evidence) {
  public BlockEvent {
    evidence = List.copyOf(evidence);
  }
}
