package org.bellwatch.agent.web;

/** A request the API refuses; mapped to its HTTP status in one place ({@link WebServer}). */
final class ApiException extends RuntimeException {
  private final int status;
  private long retryAfterSecs = -1;

  ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  /** Adds a Retry-After header to the response (429). */
  ApiException retryAfter(long secs) {
    this.retryAfterSecs = secs;
    return this;
  }

  long retryAfterSecs() {
    return retryAfterSecs;
  }
}
