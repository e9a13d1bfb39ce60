package org.bellwatch.agent.access;

import java.nio.file.Path;
import org.bellwatch.agent.event.StorageException;

/** A consistent copy of everything the agent keeps, taken while it runs. */
@FunctionalInterface
public interface Backups {
  /** Copies into {@code target}, a folder that must not exist yet. */
  void copyTo(Path target) throws StorageException;
}
