package org.bellwatch.agent.access;

import org.bellwatch.agent.event.StorageException;

/** Random keys generated on first use and kept (so they survive restarts and backups). */
public interface Secrets {
  /**
   * The secret called {@code name}, created with {@code bytes} random bytes when it does not exist
   * yet.
   */
  byte[] getOrCreate(String name, int bytes) throws StorageException;
}
