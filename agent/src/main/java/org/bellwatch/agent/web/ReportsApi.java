package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.report.ReportFilter;
import org.bellwatch.agent.report.Reports;

/** The report routes under {@code /api/v1/reports}, {@code /api/v1/domains} and {@code /api/v1/sections}. */
final class ReportsApi {
  /** A trend without a range compares the last seven days with the seven before. */
  static final Duration DEFAULT_TREND = Duration.ofDays(7);

  private final Reports reports;
  private final ObjectMapper mapper;
  private final Clock clock;

  ReportsApi(Reports reports, ObjectMapper mapper, Clock clock) {
    this.reports = reports;
    this.mapper = mapper;
    this.clock = clock;
  }

  void topDomains(Context ctx) {
    page(ctx, "top-domains", reports.topDomains(QueryParams.filter(ctx), QueryParams.offset(ctx),
        QueryParams.limit(ctx)));
  }

  void breakdown(Context ctx) {
    Reports.Dimension dim;
    String name = ctx.pathParam("dimension");
    try {
      dim = Reports.Dimension.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ApiException(404, "dimension: '" + name + "' is not one of room, teacher, section, category,"
          + " domain, period, method");
    }
    page(ctx, "by-" + name, reports.breakdown(QueryParams.filter(ctx), dim, QueryParams.offset(ctx),
        QueryParams.limit(ctx)));
  }

  void heatmap(Context ctx) {
    Responses.json(ctx, mapper.valueToTree(reports.heatmap(QueryParams.filter(ctx))));
  }

  void trend(Context ctx) {
    ReportFilter f = QueryParams.filter(ctx);
    Instant to = f.to() != null ? f.to() : clock.instant();
    Instant from = f.from() != null ? f.from() : to.minus(DEFAULT_TREND);
    if (!from.isBefore(to)) {
      throw new ApiException(400, "from: must be before to");
    }
    Responses.json(ctx, mapper.valueToTree(reports.trend(f.withRange(from, to))));
  }

  void domain(Context ctx) {
    String domain = Domains.normalize(ctx.pathParam("domain"));
    Reports.DomainDetail detail = reports.domain(domain, QueryParams.filter(ctx));
    if (detail.totals().attempts() == 0) {
      throw new ApiException(404, "no blocks of " + domain + " match these filters");
    }
    Responses.json(ctx, mapper.valueToTree(detail));
  }

  void section(Context ctx) {
    String section = ctx.pathParam("section");
    Reports.SectionDetail detail = reports.section(section, QueryParams.filter(ctx));
    if (detail.totals().attempts() == 0) {
      throw new ApiException(404, "no blocks in section " + section + " match these filters");
    }
    Responses.json(ctx, mapper.valueToTree(detail));
  }

  private void page(Context ctx, String name, Reports.Page<?> page) {
    JsonNode items = mapper.valueToTree(page.items());
    if (QueryParams.csv(ctx)) {
      Responses.csv(ctx, name, items);
      return;
    }
    Responses.json(ctx, mapper.createObjectNode().<com.fasterxml.jackson.databind.node.ObjectNode>set("items", items)
        .put("total", page.total()).put("offset", page.offset()).put("limit", page.limit()));
  }
}
