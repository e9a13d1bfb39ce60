package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Instant;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.report.ReportFilter;
import org.bellwatch.agent.report.Reports;

/**
 * {@code GET /api/v1/site}: the school's name and zone, its academic sessions (the console's term
 * ranges) and the first and last stored block (its "latest with data"), all as of this request. A
 * teacher's first and last block are those of its own sections.
 */
final class SiteApi implements RouteGroup {
  private final BellwatchConfig.Site site;
  private final Reports reports;
  private final Roster roster;
  private final ObjectMapper mapper;

  SiteApi(BellwatchConfig.Site site, Reports reports, Roster roster, ObjectMapper mapper) {
    this.site = site;
    this.reports = reports;
    this.roster = roster;
    this.mapper = mapper;
  }

  /** Registers the site's description. */
  @Override
  public void register(Routes r) {
    r.add(HandlerType.GET, "/api/v1/site", Routes.ANY_ACCOUNT, this::site);
  }

  void site(Context ctx) {
    ObjectNode body =
        mapper.createObjectNode().put("name", site.name()).put("timezone", site.timezone().getId());
    roster.terms(body.putArray("terms"));
    Reports.Span span =
        reports.span(ReportFilter.between(null, null).within(Routes.principal(ctx).sections()));
    body.putObject("data").put("first", text(span.first())).put("last", text(span.last()));
    Responses.json(ctx, body);
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
