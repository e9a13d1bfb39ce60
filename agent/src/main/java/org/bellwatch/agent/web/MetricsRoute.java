package org.bellwatch.agent.web;

import io.javalin.http.HandlerType;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/**
 * {@code GET /metrics}, the Prometheus text format. Whole-site counters: staff only (a teacher sees
 * its own sections and nothing site-wide), or anyone when {@code web.metrics_public}.
 */
final class MetricsRoute implements RouteGroup {
  private final PrometheusMeterRegistry registry;
  private final boolean open;

  MetricsRoute(PrometheusMeterRegistry registry, boolean open) {
    this.registry = registry;
    this.open = open;
  }

  @Override
  public void register(Routes r) {
    r.add(
        HandlerType.GET,
        "/metrics",
        open ? Role.ANONYMOUS : Role.VIEWER,
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
  }
}
