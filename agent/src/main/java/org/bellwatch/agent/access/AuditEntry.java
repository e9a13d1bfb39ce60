package org.bellwatch.agent.access;

import java.time.Instant;

/**
 * One line of the audit log.
 *
 * @param actor the account that acted ({@code cli:USER} for the command line), or the username
 *     tried
 * @param action such as {@code login}, {@code login_failed}, {@code logout}, {@code account_added}
 * @param target what the action was about (an account, a domain), or null
 * @param client the client address, or {@code local} for the command line
 * @param detail a short human-readable note, or null
 */
public record AuditEntry(
    Instant time, String actor, String action, String target, String client, String detail) {}
