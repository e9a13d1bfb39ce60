package org.bellwatch.agent.access;

import java.time.Instant;

/**
 * A console session. {@code idHash} is the SHA-256 of the cookie's random id (hex): the store never
 * holds a usable session id. {@code csrfToken} must accompany every state-changing request of this
 * session.
 */
public record Session(
    String idHash,
    String username,
    String csrfToken,
    Instant created,
    Instant lastSeen,
    String client) {
  public Session seenAt(Instant t) {
    return new Session(idHash, username, csrfToken, created, t, client);
  }
}
