package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.access.Account;
import org.bellwatch.agent.access.Accounts;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.access.AuditLog;
import org.bellwatch.agent.event.StorageException;

/**
 * {@code /api/v1/accounts} and {@code /api/v1/audit}: admins manage accounts and read the audit
 * log.
 */
final class AccountsApi implements RouteGroup {
  private final Accounts accounts;
  private final AuditLog audit;
  private final ConsoleAuth auth;
  private final int iterations;
  private final ObjectMapper mapper;
  private final Clock clock;

  AccountsApi(
      Accounts accounts,
      AuditLog audit,
      ConsoleAuth auth,
      int iterations,
      ObjectMapper mapper,
      Clock clock) {
    this.accounts = accounts;
    this.audit = audit;
    this.auth = auth;
    this.iterations = iterations;
    this.mapper = mapper;
    this.clock = clock;
  }

  /** Registers account management and the audit log, for admins. */
  @Override
  public void register(Routes r) {
    r.add(HandlerType.GET, "/api/v1/accounts", Role.ADMIN, this::list);
    r.add(HandlerType.POST, "/api/v1/accounts", Role.ADMIN, this::create);
    r.add(HandlerType.PUT, "/api/v1/accounts/{username}", Role.ADMIN, this::update);
    r.add(HandlerType.GET, "/api/v1/audit", Role.ADMIN, this::auditLog);
  }

  void list(Context ctx) throws StorageException {
    ArrayNode items = mapper.createArrayNode();
    for (Account a : accounts.list()) {
      items.add(json(a));
    }
    Responses.json(ctx, mapper.createObjectNode().set("items", items));
  }

  synchronized void create(Context ctx) throws StorageException {
    JsonNode body = Bodies.object(ctx, mapper);
    String username = Accounts.normalize(Bodies.text(body, "username", true, 64));
    if (username == null) {
      throw new ApiException(400, "username: 1 to 64 of letters, digits, '.', '_', '-', '@'");
    }
    Role role = role(Bodies.text(body, "role", true, 20));
    String password = Bodies.text(body, "password", true, 1000);
    String weak = Passwords.weakness(password.toCharArray(), username);
    if (weak != null) {
      throw new ApiException(400, "password: " + weak);
    }
    if (accounts.get(username).isPresent()) {
      throw new ApiException(409, "username: " + username + " already exists");
    }
    Instant now = clock.instant();
    Account a =
        new Account(
            username,
            role.id(),
            Passwords.hash(password.toCharArray(), iterations),
            false,
            now,
            now);
    accounts.put(a);
    Principal p = Routes.principal(ctx);
    auth.audit(p.username(), "account_added", username, ctx.ip(), "role " + role.id());
    ctx.status(201);
    Responses.json(ctx, json(a));
  }

  synchronized void update(Context ctx) throws StorageException {
    String username = Accounts.normalize(ctx.pathParam("username"));
    Account a = username == null ? null : accounts.get(username).orElse(null);
    if (a == null) {
      throw new ApiException(404, "no account " + ctx.pathParam("username"));
    }
    JsonNode body = Bodies.object(ctx, mapper);
    String roleText = Bodies.text(body, "role", false, 20);
    Boolean disabled = Bodies.bool(body, "disabled");
    String password = Bodies.text(body, "password", false, 1000);
    if (roleText == null && disabled == null && password == null) {
      throw new ApiException(400, "role, disabled or password: give at least one");
    }
    Instant now = clock.instant();
    List<String> changes = new ArrayList<>();
    Account next = a;
    if (roleText != null && !roleText.equals(a.role())) {
      next = next.withRole(role(roleText).id(), now);
      changes.add("role " + a.role() + " -> " + next.role());
    }
    if (disabled != null && disabled != a.disabled()) {
      next = next.withDisabled(disabled, now);
      changes.add(disabled ? "disabled" : "enabled");
    }
    if (password != null) {
      String weak = Passwords.weakness(password.toCharArray(), username);
      if (weak != null) {
        throw new ApiException(400, "password: " + weak);
      }
      next = next.withPasswordHash(Passwords.hash(password.toCharArray(), iterations), now);
      changes.add("password reset");
    }
    if (wasLastAdmin(a, next)) {
      throw new ApiException(409, "this would leave no enabled admin account");
    }
    if (!changes.isEmpty()) {
      accounts.put(next);
      auth.audit(
          Routes.principal(ctx).username(),
          "account_changed",
          username,
          ctx.ip(),
          String.join(", ", changes));
    }
    Responses.json(ctx, json(next));
  }

  void auditLog(Context ctx) throws StorageException {
    int limit = QueryParams.limit(ctx);
    ArrayNode items = mapper.createArrayNode();
    for (AuditEntry e : audit.newest(limit)) {
      items
          .addObject()
          .put("time", e.time().toString())
          .put("actor", e.actor())
          .put("action", e.action())
          .put("target", e.target())
          .put("client", e.client())
          .put("detail", e.detail());
    }
    Responses.json(
        ctx, mapper.createObjectNode().<ObjectNode>set("items", items).put("limit", limit));
  }

  private boolean wasLastAdmin(Account before, Account after) throws StorageException {
    boolean wasAdmin = before.role().equals("admin") && !before.disabled();
    boolean isAdmin = after.role().equals("admin") && !after.disabled();
    if (!wasAdmin || isAdmin) {
      return false;
    }
    return accounts.list().stream()
        .noneMatch(
            x ->
                !x.username().equals(before.username())
                    && x.role().equals("admin")
                    && !x.disabled());
  }

  private static Role role(String text) {
    Role r = Role.ofAccount(text);
    if (r == null) {
      throw new ApiException(
          400, "role: '" + text + "' is not admin, coordinator, viewer or teacher");
    }
    return r;
  }

  private ObjectNode json(Account a) {
    return mapper
        .createObjectNode()
        .put("username", a.username())
        .put("role", a.role())
        .put("disabled", a.disabled())
        .put("created", a.created().toString())
        .put("updated", a.updated().toString());
  }
}
