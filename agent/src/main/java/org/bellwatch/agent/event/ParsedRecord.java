package org.bellwatch.agent.event;

/**
 * What a log line can carry: a web-filter record or a DHCP lease observation. Sources that read any
 * vendor (syslog listeners, files) hand these on without knowing which kind their vendor yields.
 */
public sealed interface ParsedRecord permits FilterEvent, LeaseObservation {
  java.time.Instant time();
}
