package org.bellwatch.agent.store;

/** The event store cannot be used; the message names the directory and the cause. */
public final class StoreException extends Exception {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
