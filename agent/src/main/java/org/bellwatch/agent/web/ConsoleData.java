package org.bellwatch.agent.web;

import org.bellwatch.agent.access.Accounts;
import org.bellwatch.agent.access.AuditLog;
import org.bellwatch.agent.access.Backups;
import org.bellwatch.agent.access.Secrets;
import org.bellwatch.agent.access.Sessions;
import org.bellwatch.agent.report.BlockQueries;
import org.bellwatch.agent.review.Reviews;

/**
 * What the console reads and keeps, as the narrow interfaces its routes use: the agent wires its
 * store in (pipeline), route tests in-memory ones. The web layer never sees the store itself.
 */
public record ConsoleData(
    BlockQueries blocks,
    Accounts accounts,
    Sessions sessions,
    AuditLog audit,
    Reviews reviews,
    Secrets secrets,
    Backups backups) {}
