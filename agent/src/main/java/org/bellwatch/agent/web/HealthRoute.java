package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.function.Supplier;
import org.bellwatch.agent.web.WebServer.Health;

/**
 * {@code GET /health}, for anyone (a load balancer, systemd, a monitoring probe): 200 while the
 * pipeline runs (its status {@code ok}, or {@code degraded} while a source fails), 503 when it does
 * not, with the state of the schedule folder and of every input source.
 */
final class HealthRoute implements RouteGroup {
  private final Supplier<Health> health;
  private final ObjectMapper mapper;

  HealthRoute(Supplier<Health> health, ObjectMapper mapper) {
    this.health = health;
    this.mapper = mapper;
  }

  @Override
  public void register(Routes r) {
    r.add(HandlerType.GET, "/health", Role.ANONYMOUS, this::health);
  }

  void health(Context ctx) {
    Health h = health.get();
    ObjectNode body =
        mapper
            .createObjectNode()
            .put("status", h.status())
            .put("pipeline", h.state())
            .put(
                "schedule",
                h.scheduleProblem() == null
                    ? "ok"
                    : "error (previous schedule kept): " + h.scheduleProblem());
    h.failing().forEach(body.putArray("failing")::add);
    ArrayNode sources = body.putArray("sources");
    for (WebServer.Source s : h.sources()) {
      sources
          .addObject()
          .put("name", s.name())
          .put("state", s.state())
          .put("last_seen", s.lastSeen() == null ? null : s.lastSeen().toString())
          .put("silent_since", s.silentSince() == null ? null : s.silentSince().toString())
          .put("error", s.error());
    }
    ctx.status(h.healthy() ? 200 : 503).contentType("application/json").result(body.toString());
  }
}
