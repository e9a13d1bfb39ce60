package org.bellwatch.agent.schedule;

/** A schedule file that cannot be used; the message names the file, line and column. */
public final class ScheduleException extends Exception {
  public ScheduleException(String message) {
    super(message, null, false, false);
  }
}
