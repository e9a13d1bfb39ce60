package org.bellwatch.agent.event;

/**
 * What the agent keeps (events, accounts, sessions, reviews, the audit log) cannot be read or
 * written; the message names where and why. The store's failures are of this kind, so the layers
 * that only depend on narrow interfaces (the web console) answer them without knowing the store:
 * the console answers 503.
 */
public class StorageException extends Exception {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
