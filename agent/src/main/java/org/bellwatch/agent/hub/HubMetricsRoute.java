package org.bellwatch.agent.hub;

import static org.bellwatch.agent.hub.HubServer.caller;

import io.javalin.http.Handler;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/**
 * {@code GET /metrics} of the hub, the Prometheus text format: anyone may read it when {@code
 * hub.metrics_public}, else only a signed-in district IT account (HTTP Basic, which Prometheus's
 * {@code basic_auth} sends, or a console session). The series count every school's blocks ({@code
 * bellwatch_hub_school_blocks_total{school}}), and a school coordinator may see only their own
 * school's data, so a coordinator is refused with 403, as a site's teacher is at the site's {@code
 * /metrics}.
 */
final class HubMetricsRoute {
  private final PrometheusMeterRegistry registry;
  private final boolean open;

  HubMetricsRoute(PrometheusMeterRegistry registry, boolean open) {
    this.registry = registry;
    this.open = open;
  }

  void register(HubRoutes r) {
    Handler scrape =
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
    r.route(
        "GET",
        "/metrics",
        open
            ? scrape
            : r.signedIn(
                ctx -> {
                  if (!caller(ctx).districtIt()) {
                    throw new HubApi.Refused(
                        403, "the hub's metrics count every school's blocks: district IT only");
                  }
                  scrape.handle(ctx);
                }));
  }
}
