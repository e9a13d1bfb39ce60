package org.bellwatch.agent.web;

/** A request the API refuses; mapped to its HTTP status in one place ({@link WebServer}). */
final class ApiException extends RuntimeException {
  private final int status;

  ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }
}
