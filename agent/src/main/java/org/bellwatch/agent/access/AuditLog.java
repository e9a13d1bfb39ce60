package org.bellwatch.agent.access;

import java.util.List;
import org.bellwatch.agent.event.StorageException;

/** The audit log: logins, failures, logouts, account changes, review decisions. */
public interface AuditLog {
  void append(AuditEntry e) throws StorageException;

  /** The newest entries first, at most {@code limit} (entries of one instant newest first too). */
  List<AuditEntry> newest(int limit) throws StorageException;
}
