package org.bellwatch.agent.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.access.AuditLog;

/**
 * The audit log in a list, for route tests that run without the store: newest first by time,
 * entries of one instant in reverse order of appending (as the store's keys order them).
 */
public final class InMemoryAuditLog implements AuditLog {
  private final List<AuditEntry> entries = new ArrayList<>();

  @Override
  public synchronized void append(AuditEntry e) {
    entries.add(e);
  }

  @Override
  public synchronized List<AuditEntry> newest(int limit) {
    List<AuditEntry> out = new ArrayList<>(entries);
    java.util.Collections.reverse(out);
    // A stable sort keeps entries of one instant newest first.
    out.sort(Comparator.comparing(AuditEntry::time).reversed());
    return List.copyOf(out.subList(0, Math.min(limit, out.size())));
  }
}
