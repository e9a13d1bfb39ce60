package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Instant;
import org.bellwatch.agent.access.Account;
import org.bellwatch.agent.access.Accounts;
import org.bellwatch.agent.event.StorageException;

/**
 * {@code /api/v1/setup}: the first admin account, made with the one-time setup token ({@link
 * SetupToken}). Anonymous by nature, so the route guard checks only the Origin; the token is the
 * credential.
 */
final class SetupApi implements RouteGroup {
  private final SetupToken token;
  private final Accounts accounts;
  private final ConsoleAuth auth;
  private final int iterations;
  private final ObjectMapper mapper;
  private final Clock clock;

  SetupApi(
      SetupToken token,
      Accounts accounts,
      ConsoleAuth auth,
      int iterations,
      ObjectMapper mapper,
      Clock clock) {
    this.token = token;
    this.accounts = accounts;
    this.auth = auth;
    this.iterations = iterations;
    this.mapper = mapper;
    this.clock = clock;
  }

  /** Registers the first start. */
  @Override
  public void register(Routes r) {
    // No session: the one-time setup token is the credential (see SetupToken); the guard checks the
    // Origin.
    r.add(HandlerType.GET, "/api/v1/setup", Role.ANONYMOUS, this::status);
    r.add(HandlerType.POST, "/api/v1/setup", Role.ANONYMOUS, this::createAdmin);
  }

  void status(Context ctx) throws StorageException {
    boolean open = isOpen();
    Responses.json(
        ctx,
        mapper
            .createObjectNode()
            .put("open", open)
            .put("expires_at", open ? token.expires().toString() : null));
  }

  void createAdmin(Context ctx) throws StorageException {
    synchronized (token) {
      if (!isOpen()) {
        throw new ApiException(
            409,
            "setup is closed: an admin account exists, or the setup token was used or expired");
      }
      JsonNode body = Bodies.object(ctx, mapper);
      String presented = Bodies.text(body, "token", true, 100);
      String username = Accounts.normalize(Bodies.text(body, "username", true, 64));
      if (username == null) {
        throw new ApiException(400, "username: 1 to 64 of letters, digits, '.', '_', '-', '@'");
      }
      String password = Bodies.text(body, "password", true, 1000);
      String weak = Passwords.weakness(password.toCharArray(), username);
      if (weak != null) {
        throw new ApiException(400, "password: " + weak);
      }
      if (!token.redeem(presented)) {
        auth.audit("(setup)", "setup_failed", username, ctx.ip(), "wrong setup token");
        throw new ApiException(403, "wrong setup token");
      }
      Instant now = clock.instant();
      Account a =
          SetupToken.admin(username, Passwords.hash(password.toCharArray(), iterations), now);
      accounts.put(a);
      auth.audit(
          "(setup token)",
          "account_added",
          username,
          ctx.ip(),
          "role admin, first admin by the setup token");
      ctx.status(201);
      Responses.json(
          ctx,
          mapper
              .createObjectNode()
              .put("username", username)
              .put("role", "admin")
              .put("status", "admin account created; log in"));
    }
  }

  private boolean isOpen() throws StorageException {
    if (!token.open()) {
      return false;
    }
    if (SetupToken.hasAdmin(accounts)) {
      // Made with `bellwatch users add` meanwhile (or an earlier redeem): the token is of no more
      // use.
      token.close();
      return false;
    }
    return true;
  }
}
