package org.bellwatch.agent.cli;

/** One-line error reporting for commands: no stack traces for problems the operator can fix. */
final class Errors {
  private Errors() {}

  static int fail(int status, String message) {
    System.err.println("bellwatch: " + message);
    return status;
  }
}
