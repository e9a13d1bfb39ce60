package org.bellwatch.agent.ingest.syslog;

/**
 * A listener that cannot start (port in use, unreadable certificate): one line naming the listener.
 */
public final class SyslogException extends RuntimeException {
  public SyslogException(String message, Throwable cause) {
    super(message, cause);
  }
}
