package org.bellwatch.agent.store;

import org.bellwatch.agent.event.StorageException;

/** The event store cannot be used; the message names the directory and the cause. */
public final class StoreException extends StorageException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
