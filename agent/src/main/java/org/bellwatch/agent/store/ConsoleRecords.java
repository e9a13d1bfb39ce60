package org.bellwatch.agent.store;

import org.bellwatch.agent.access.Accounts;
import org.bellwatch.agent.access.AuditLog;
import org.bellwatch.agent.access.Secrets;
import org.bellwatch.agent.access.Sessions;
import org.bellwatch.agent.review.Reviews;

/**
 * The console's small keyed records, one family each ({@code accounts}, {@code sessions}, {@code
 * reviews}, {@code audit}, {@code secrets}), behind the narrow interfaces the web layer and the
 * command line use. Retention never touches them.
 */
public final class ConsoleRecords {
  private final Accounts accounts;
  private final Sessions sessions;
  private final Reviews reviews;
  private final AuditLog auditLog;
  private final Secrets secrets;

  ConsoleRecords(RocksFamilies families) {
    KeyValues audit = families.console("audit");
    this.accounts = new StoredAccounts(families.console("accounts"));
    this.sessions = new StoredSessions(families.console("sessions"));
    this.reviews = new StoredReviews(families.console("reviews"), audit);
    this.auditLog = new StoredAuditLog(audit);
    this.secrets = new StoredSecrets(families.console("secrets"));
  }

  /** Console accounts (username to account). */
  public Accounts accounts() {
    return accounts;
  }

  /** Console sessions, keyed by the hash of their id. */
  public Sessions sessions() {
    return sessions;
  }

  /** Review requests and decisions per domain; each change is written with its audit entry. */
  public Reviews reviews() {
    return reviews;
  }

  /** The audit log: logins, failures, logouts, account changes, review decisions. */
  public AuditLog auditLog() {
    return auditLog;
  }

  /** Keys the agent generates once and keeps (the pseudonym key, the device cookie key). */
  public Secrets secrets() {
    return secrets;
  }
}
