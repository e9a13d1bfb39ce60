package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.report.ReportFilter;
import org.bellwatch.agent.report.Reports;

/**
 * The report routes under {@code /api/v1/reports}, {@code /api/v1/domains} and {@code
 * /api/v1/sections}, each limited to the caller's sections ({@link QueryParams#filter}); sections
 * are described with their titles and teachers' names from the roster in force ({@link Roster}).
 */
final class ReportsApi implements RouteGroup {
  /** A trend without a range compares the last seven days with the seven before. */
  static final Duration DEFAULT_TREND = Duration.ofDays(7);

  /**
   * Section labels asked for at once: a page of the console knows a few dozen sections at the most.
   */
  static final int MAX_SECTION_IDS = 200;

  private final Reports reports;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final Roster roster;

  ReportsApi(Reports reports, ObjectMapper mapper, Clock clock, Roster roster) {
    this.roster = roster;
    this.reports = reports;
    this.mapper = mapper;
    this.clock = clock;
  }

  /** Registers the reports. */
  @Override
  public void register(Routes r) {
    // Every staff role over the whole site; teachers over their own sections (QueryParams.filter).
    r.add(HandlerType.GET, "/api/v1/reports/top-domains", Routes.REPORT_READERS, this::topDomains);
    r.add(HandlerType.GET, "/api/v1/reports/heatmap", Routes.REPORT_READERS, this::heatmap);
    r.add(HandlerType.GET, "/api/v1/reports/trend", Routes.REPORT_READERS, this::trend);
    r.add(
        HandlerType.GET,
        "/api/v1/reports/breakdown/{dimension}",
        Routes.REPORT_READERS,
        this::breakdown);
    r.add(HandlerType.GET, "/api/v1/domains/{domain}", Routes.REPORT_READERS, this::domain);
    r.add(HandlerType.GET, "/api/v1/sections", Routes.REPORT_READERS, this::sections);
    r.add(HandlerType.GET, "/api/v1/sections/{section}", Routes.REPORT_READERS, this::section);
  }

  void topDomains(Context ctx) {
    page(
        ctx,
        "top-domains",
        reports.topDomains(
            QueryParams.filter(ctx), QueryParams.offset(ctx), QueryParams.limit(ctx)));
  }

  void breakdown(Context ctx) {
    Reports.Dimension dim;
    String name = ctx.pathParam("dimension");
    try {
      dim = Reports.Dimension.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          404,
          "dimension: '"
              + name
              + "' is not one of room, teacher, section, category,"
              + " domain, period, method");
    }
    page(
        ctx,
        "by-" + name,
        reports.breakdown(
            QueryParams.filter(ctx), dim, QueryParams.offset(ctx), QueryParams.limit(ctx)));
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
    ObjectNode body = mapper.valueToTree(detail);
    body.withArray("sections").forEach(item -> roster.describe((ObjectNode) item));
    Responses.json(ctx, body);
  }

  void section(Context ctx) {
    String section = ctx.pathParam("section");
    if (!Routes.principal(ctx).covers(section)) {
      throw new ApiException(403, "section " + section + " is not one of your sections");
    }
    Reports.SectionDetail detail = reports.section(section, QueryParams.filter(ctx));
    if (detail.totals().attempts() == 0) {
      throw new ApiException(404, "no blocks in section " + section + " match these filters");
    }
    ObjectNode body = mapper.valueToTree(detail);
    roster.describeWithTeachers(body);
    Responses.json(ctx, body);
  }

  /**
   * {@code GET /api/v1/sections?ids=a,b}: the roster's label of each section (title, course,
   * teacher and name, room, periods), for pages that know sections only by id. Ids the roster does
   * not have, or outside the caller's sections, are left out.
   */
  void sections(Context ctx) {
    String ids = ctx.queryParam("ids");
    if (ids == null || ids.isBlank()) {
      throw new ApiException(400, "ids: is required (section ids separated by commas)");
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (String id : ids.split(",")) {
      if (!id.isBlank()) {
        wanted.add(id.trim());
      }
    }
    if (wanted.size() > MAX_SECTION_IDS) {
      throw new ApiException(400, "ids: at most " + MAX_SECTION_IDS + " sections at once");
    }
    Principal p = Routes.principal(ctx);
    ArrayNode items = mapper.createArrayNode();
    for (String id : wanted) {
      if (p.covers(id)) {
        ObjectNode label = roster.label(mapper.createObjectNode(), id);
        if (label != null) {
          items.add(label);
        }
      }
    }
    Responses.json(ctx, mapper.createObjectNode().set("items", items));
  }

  private void page(Context ctx, String name, Reports.Page<?> page) {
    JsonNode items = mapper.valueToTree(page.items());
    if (QueryParams.csv(ctx)) {
      Responses.csv(ctx, name, items);
      return;
    }
    Responses.json(
        ctx,
        mapper
            .createObjectNode()
            .<ObjectNode>set("items", items)
            .put("total", page.total())
            .put("offset", page.offset())
            .put("limit", page.limit()));
  }
}
