package org.bellwatch.agent.access;

import java.util.List;
import java.util.Optional;
import org.bellwatch.agent.event.StorageException;

/** Console sessions, keyed by the hash of their id ({@link Session#idHash()}). */
public interface Sessions {
  Optional<Session> get(String idHash) throws StorageException;

  /** Creates or replaces the session. */
  void put(Session s) throws StorageException;

  void delete(String idHash) throws StorageException;

  /** Every session, by id hash. */
  List<Session> list() throws StorageException;
}
